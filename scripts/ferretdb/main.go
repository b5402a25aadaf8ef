// Command fairreview-store runs FerretDB v1 with its SQLite backend as an embedded,
// MongoDB-wire-compatible store for development, tests and the embedded default.
//
// FerretDB listens on a private Unix socket; clients connect to --listen through writeGate, which lets
// write commands reach FerretDB one at a time. FerretDB v1's SQLite handler reads a document, applies an
// update in Go and writes it back without a transaction spanning both, so two concurrent findAndModify
// calls guarded by the same revision could both succeed and concurrent $push updates could be lost.
// MongoDB guarantees single-document atomicity; serialising writes restores that guarantee here.
//
// It also indexes every collection on the expression FerretDB's _id lookups use (idindex.go), which FerretDB
// itself leaves unindexed.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dir := flag.String("dir", "", "directory for the SQLite data files")
	flag.Parse()
	if *dir == "" {
		fail(2, "--dir is required")
	}
	abs, err := filepath.Abs(*dir)
	if err != nil {
		fail(2, err.Error())
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		fail(2, err.Error())
	}

	// Unix socket paths are limited to ~100 bytes, so the socket lives in a short temporary folder.
	sockDir, err := os.MkdirTemp("", "frs")
	if err != nil {
		fail(1, err.Error())
	}
	defer os.RemoveAll(sockDir)
	socket := filepath.Join(sockDir, "ferretdb.sock")

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{Unix: socket},
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
	})
	if err != nil {
		fail(1, err.Error())
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	if err := waitForSocket(socket, 10*time.Second); err != nil {
		fail(1, err.Error())
	}

	indexer := newIDIndexer(abs)
	indexer.indexAll(ctx)
	go indexer.run(ctx, time.Second)

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fail(1, err.Error())
	}
	go func() {
		<-ctx.Done()
		ln.Close()
	}()
	fmt.Printf("fairreview-store listening on %s (data in %s)\n", *listen, abs)

	gate := &writeGate{indexer: indexer}
	for {
		conn, err := ln.Accept()
		if err != nil {
			break
		}
		go gate.serve(conn, socket)
	}
	if err := <-done; err != nil && ctx.Err() == nil {
		fail(1, err.Error())
	}
}

func waitForSocket(path string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("unix", path); err == nil {
			c.Close()
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("FerretDB did not open %s within %s", path, timeout)
}

func fail(code int, msg string) {
	fmt.Fprintln(os.Stderr, "fairreview-store:", msg)
	os.Exit(code)
}
