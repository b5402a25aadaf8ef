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
	mu sync.RWMutex
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
