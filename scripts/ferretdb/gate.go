package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
)

// Wire protocol opcodes and OP_MSG flag bits (MongoDB wire protocol specification).
const (
	opCompressed = 2012
	opMsg        = 2013
	moreToCome   = 1 << 1
	maxMessage   = 48 << 20
)

// writeCommands change data; writeGate runs them one at a time. Everything else may run concurrently.
var writeCommands = map[string]bool{
	"insert": true, "update": true, "delete": true, "findAndModify": true, "findandmodify": true,
	"create": true, "createIndexes": true, "drop": true, "dropDatabase": true, "dropIndexes": true,
	"renameCollection": true, "collMod": true,
}

// writeGate proxies client connections to FerretDB, holding an exclusive lock for the whole round trip
// of a write command and a shared lock for any other command.
type writeGate struct {
	mu      sync.RWMutex
	indexer *idIndexer
}

func (g *writeGate) serve(client net.Conn, socket string) {
	defer client.Close()
	backend, err := net.Dial("unix", socket)
	if err != nil {
		return
	}
	defer backend.Close()

	for {
		request, err := readMessage(client)
		if err != nil {
			return
		}
		if err := g.roundTrip(request, backend, client); err != nil {
			return
		}
	}
}

func (g *writeGate) roundTrip(request []byte, backend, client net.Conn) error {
	if isWrite(request) {
		g.mu.Lock()
		defer g.mu.Unlock()
		// Once FerretDB has answered, and before any other write runs: a collection this command created gets its
		// _id index now (idindex.go), so its first reads are already index searches.
		if g.indexer != nil {
			defer g.indexer.afterWrite(request)
		}
	} else {
		g.mu.RLock()
		defer g.mu.RUnlock()
	}
	if _, err := backend.Write(request); err != nil {
		return err
	}
	if opcode(request) == opMsg && flags(request)&moreToCome != 0 {
		return nil // the client expects no reply
	}
	for {
		reply, err := readMessage(backend)
		if err != nil {
			return err
		}
		if _, err := client.Write(reply); err != nil {
			return err
		}
		if opcode(reply) != opMsg || flags(reply)&moreToCome == 0 {
			return nil
		}
	}
}

func readMessage(r io.Reader) ([]byte, error) {
	var header [16]byte
	if _, err := io.ReadFull(r, header[:]); err != nil {
		return nil, err
	}
	length := int(binary.LittleEndian.Uint32(header[0:4]))
	if length < 16 || length > maxMessage {
		return nil, fmt.Errorf("invalid message length %d", length)
	}
	msg := make([]byte, length)
	copy(msg, header[:])
	if _, err := io.ReadFull(r, msg[16:]); err != nil {
		return nil, err
	}
	return msg, nil
}

func opcode(msg []byte) int32 { return int32(binary.LittleEndian.Uint32(msg[12:16])) }

func flags(msg []byte) uint32 {
	if len(msg) < 20 {
		return 0
	}
	return binary.LittleEndian.Uint32(msg[16:20])
}

// isWrite reports whether an OP_MSG carries a write command: the command name is the first key of the
// body (kind 0) section. Compressed messages cannot be inspected cheaply, so they count as writes.
func isWrite(msg []byte) bool {
	switch opcode(msg) {
	case opCompressed:
		return true
	case opMsg:
		name, err := commandName(msg)
		return err != nil || writeCommands[name]
	default:
		return false // legacy OP_QUERY: handshakes only
	}
}

func commandName(msg []byte) (string, error) {
	pos := 20 // header + flagBits
	for pos < len(msg) {
		kind := msg[pos]
		pos++
		if pos+4 > len(msg) {
			break
		}
		size := int(binary.LittleEndian.Uint32(msg[pos : pos+4]))
		if kind == 0 {
			// BSON document: int32 length, then the first element: type byte, key cstring.
			if pos+5 >= len(msg) {
				break
			}
			keyStart := pos + 5
			for i := keyStart; i < len(msg) && i < pos+size; i++ {
				if msg[i] == 0 {
					return string(msg[keyStart:i]), nil
				}
			}
			break
		}
		pos += size // kind 1: the size covers the identifier and its documents
	}
	return "", errors.New("no body section")
}

// commandTarget returns the command name, the string value of its first element (the collection, for the
// commands that name one) and the `$db` field of an OP_MSG body; ok is false when they cannot be read.
func commandTarget(msg []byte) (name, collection, db string, ok bool) {
	if opcode(msg) != opMsg || len(msg) < 26 || msg[20] != 0 {
		return "", "", "", false
	}
	doc := msg[21:]
	size := int(binary.LittleEndian.Uint32(doc[0:4]))
	if size > len(doc) || size < 5 {
		return "", "", "", false
	}
	pos := 4
	first := true
	for pos < size-1 {
		typ := doc[pos]
		pos++
		end := pos
		for end < size && doc[end] != 0 {
			end++
		}
		if end >= size {
			return "", "", "", false
		}
		key := string(doc[pos:end])
		pos = end + 1
		var str string
		isString := typ == 0x02
		if isString {
			if pos+4 > size {
				return "", "", "", false
			}
			n := int(binary.LittleEndian.Uint32(doc[pos : pos+4]))
			if n < 1 || pos+4+n > size {
				return "", "", "", false
			}
			str = string(doc[pos+4 : pos+4+n-1])
		}
		if first {
			name, first = key, false
			if isString {
				collection = str
			}
		}
		if key == "$db" && isString {
			db = str
		}
		n, known := valueSize(typ, doc[pos:size])
		if !known {
			return name, collection, db, db != ""
		}
		pos += n
	}
	return name, collection, db, db != ""
}

// valueSize is the length of a BSON value of this type at the start of b.
func valueSize(typ byte, b []byte) (int, bool) {
	fixed := map[byte]int{0x01: 8, 0x07: 12, 0x08: 1, 0x09: 8, 0x0A: 0, 0x10: 4, 0x11: 8, 0x12: 8, 0x13: 16, 0x7F: 0, 0xFF: 0}
	if n, ok := fixed[typ]; ok {
		return n, n <= len(b)
	}
	if len(b) < 4 {
		return 0, false
	}
	n := int(binary.LittleEndian.Uint32(b[0:4]))
	switch typ {
	case 0x02, 0x0D, 0x0E: // string, JavaScript, symbol: int32 length, then the bytes
		return 4 + n, 4+n <= len(b)
	case 0x03, 0x04: // document, array: the int32 counts itself
		return n, n <= len(b)
	case 0x05: // binary: int32 length, subtype byte, bytes
		return 5 + n, 5+n <= len(b)
	}
	return 0, false
}
