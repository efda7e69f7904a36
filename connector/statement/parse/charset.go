// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// toUTF8 decodes data from the named character set (as files name them:
// "1252", "windows-1252", "ISO-8859-1", "latin1", "UTF-8", "UTF-16", "USASCII"…)
// to UTF-8. An empty name decodes by content: a UTF-8 or UTF-16 byte order
// mark, else UTF-8 when valid, else Windows-1252. A UTF-8 BOM is dropped.
func toUTF8(data []byte, name string) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), data)
	}
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.NewReplacer("_", "-", " ", "").Replace(n)
	switch n {
	case "", "utf-8", "utf8":
		if utf8.Valid(data) {
			return data, nil
		}
		if n != "" {
			return nil, fmt.Errorf("not valid UTF-8")
		}
		return decodeWith(charmap.Windows1252, data)
	case "usascii", "us-ascii", "ascii", "none":
		if utf8.Valid(data) {
			return data, nil // ASCII files often carry UTF-8 or Latin-1 anyway
		}
		return decodeWith(charmap.Windows1252, data)
	case "1252", "windows-1252", "cp1252", "ansi":
		return decodeWith(charmap.Windows1252, data)
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "8859-1":
		return decodeWith(charmap.ISO8859_1, data)
	case "iso-8859-15", "iso8859-15", "latin9", "latin-9":
		return decodeWith(charmap.ISO8859_15, data)
	case "utf-16", "utf16", "utf-16le":
		return decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), data)
	case "utf-16be":
		return decodeWith(unicode.UTF16(unicode.BigEndian, unicode.UseBOM), data)
	case "850", "cp850", "ibm850":
		return decodeWith(charmap.CodePage850, data)
	}
	return nil, fmt.Errorf("unsupported character set %q", name)
}

func decodeWith(e encoding.Encoding, data []byte) ([]byte, error) {
	out, err := e.NewDecoder().Bytes(data)
	if err != nil {
		return nil, fmt.Errorf("character set: %v", err)
	}
	return out, nil
}
