package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the SQLite driver FerretDB itself uses
)

// FerretDB v1's SQLite backend answers a find by _id with `WHERE _ferretdb_sjson->'$._id' = ?`, but the unique
// index it creates for _id is on `_ferretdb_sjson->"_id"`, an expression SQLite does not recognise as the same:
// every _id lookup (findById, every update by _id) reads and parses the whole table. idIndexer adds, for every
// collection table, an index on exactly the expression the lookups use, which makes them index searches.
// Collections appear at run time (a first insert creates one): the write gate has a new collection indexed right
// after the command that created it (afterWrite), and a sweep every interval catches any other way one appears.
type idIndexer struct {
	dir string
	// "db|collection" pairs known to be indexed, so afterWrite costs nothing for them; only afterWrite uses it, and
	// the gate runs one write (and so one afterWrite) at a time
	indexed map[string]bool
}

func newIDIndexer(dir string) *idIndexer {
	return &idIndexer{dir: dir, indexed: map[string]bool{}}
}

// afterWrite indexes the collection a write command named, the first time it sees it (the gate calls it while it
// still holds the write lock, so no FerretDB write competes). Dropped collections and databases are forgotten.
func (x *idIndexer) afterWrite(request []byte) {
	name, collection, db, ok := commandTarget(request)
	if !ok || strings.ContainsAny(db, "/\\") {
		return
	}
	switch name {
	case "drop":
		delete(x.indexed, db+"|"+collection)
		return
	case "dropDatabase":
		for key := range x.indexed {
			if strings.HasPrefix(key, db+"|") {
				delete(x.indexed, key)
			}
		}
		return
	}
	if collection == "" || x.indexed[db+"|"+collection] {
		return
	}
	file := filepath.Join(x.dir, db+".sqlite")
	if err := x.indexFile(context.Background(), file); err != nil {
		fmt.Fprintf(os.Stderr, "fairreview-store: _id index for %s: %v\n", filepath.Base(file), err)
		return
	}
	x.indexed[db+"|"+collection] = true
}

func (x *idIndexer) run(ctx context.Context, every time.Duration) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		x.indexAll(ctx)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

func (x *idIndexer) indexAll(ctx context.Context) {
	files, _ := filepath.Glob(filepath.Join(x.dir, "*.sqlite"))
	for _, file := range files {
		if err := x.indexFile(ctx, file); err != nil && ctx.Err() == nil {
			fmt.Fprintf(os.Stderr, "fairreview-store: _id index for %s: %v\n", filepath.Base(file), err)
		}
	}
}

func (x *idIndexer) indexFile(ctx context.Context, file string) error {
	// mode=rw: a database dropped meanwhile (its file removed) is not created again.
	db, err := sql.Open("sqlite", "file:"+file+"?mode=rw&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()

	// The index lives and dies with its table, so a collection dropped and created again is indexed again.
	rows, err := db.QueryContext(ctx, `SELECT c.table_name FROM _ferretdb_collections c WHERE NOT EXISTS
		(SELECT 1 FROM sqlite_master m WHERE m.type = 'index' AND m.name = c.table_name || '__id_path')`)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") || strings.Contains(err.Error(), "unable to open") {
			return nil // a database FerretDB is still creating, or has just dropped
		}
		return err
	}
	var tables []string
	for rows.Next() {
		var table string
		if err := rows.Scan(&table); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, table)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	for _, table := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, table+"__id_path", table)
		if _, err := db.ExecContext(ctx, q); err != nil {
			if strings.Contains(err.Error(), "no such table") {
				continue // dropped meanwhile
			}
			return err
		}
		fmt.Printf("fairreview-store: indexed _id lookups of %s in %s\n", table, filepath.Base(file))
	}
	return nil
}
