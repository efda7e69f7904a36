// SPDX-License-Identifier: Apache-2.0

package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"time"

	"github.com/iswigo/iswigo"
)

// maxHeaderLine is the line length headers are folded to when they contain
// spaces (RFC 5322, section 2.1.1).
const maxHeaderLine = 78

// ParsedMessage is a message read back from an outbox file or from an SMTP
// transaction, with its encodings undone.
type ParsedMessage struct {
	// From is the address of the From header, without display name.
	From string
	// To is the address of the To header, without display name.
	To string
	// Subject is the Subject header with RFC 2047 encoded words decoded.
	Subject string
	// Body is the decoded body, with CRLF and lone CR line endings turned
	// into LF.
	Body string
	// Date is the Date header, or the zero Time when missing or invalid.
	Date time.Time
	// MessageID is the Message-ID header, angle brackets included.
	MessageID string
	// Header holds every header field as sent, still encoded.
	Header netmail.Header
}

// ParseMessage reads an RFC 5322 message from r, such as an outbox file or
// the data of an SMTP transaction. It undoes the quoted-printable or base64
// transfer encoding of the body but does not interpret multipart bodies or
// charsets other than UTF-8 and US-ASCII. ParseMessage inverts what this
// package writes: the Body of a sent [iswigo.Message] comes back unchanged
// except that CRLF and lone CR line endings are LF.
func ParseMessage(r io.Reader) (ParsedMessage, error) {
	msg, err := netmail.ReadMessage(r)
	if err != nil {
		return ParsedMessage{}, fmt.Errorf("mail: parse message: %w", err)
	}
	p := ParsedMessage{
		MessageID: msg.Header.Get("Message-Id"),
		Header:    msg.Header,
	}
	p.From = headerAddress(msg.Header, "From")
	p.To = headerAddress(msg.Header, "To")
	p.Date, _ = msg.Header.Date()
	dec := new(mime.WordDecoder)
	p.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return ParsedMessage{}, fmt.Errorf("mail: parse message: subject: %w", err)
	}
	var body io.Reader = msg.Body
	switch cte := strings.ToLower(strings.TrimSpace(msg.Header.Get("Content-Transfer-Encoding"))); cte {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	case "", "7bit", "8bit", "binary":
	default:
		return ParsedMessage{}, fmt.Errorf("mail: parse message: unsupported Content-Transfer-Encoding %q", cte)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return ParsedMessage{}, fmt.Errorf("mail: parse message: body: %w", err)
	}
	p.Body = normalizeNewlines(string(b))
	return p, nil
}

// headerAddress returns the address of header name, or its raw value when it
// does not parse as a single address.
func headerAddress(h netmail.Header, name string) string {
	v := h.Get(name)
	if a, err := netmail.ParseAddress(v); err == nil {
		return a.Address
	}
	return v
}

// parseFrom validates a sender address.
func parseFrom(from string) (*netmail.Address, error) {
	if strings.ContainsAny(from, "\r\n") {
		return nil, fmt.Errorf("mail: invalid from address: contains a line break")
	}
	a, err := netmail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail: invalid from address %q: %w", from, err)
	}
	return a, nil
}

// parseTo validates a recipient. Its errors are client-safe *iswigo.Error
// values, since the recipient usually comes from a client.
func parseTo(to string) (*netmail.Address, error) {
	if strings.ContainsAny(to, "\r\n") {
		return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid e-mail address: it contains a line break")
	}
	a, err := netmail.ParseAddress(to)
	if err != nil {
		return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid e-mail address")
	}
	return a, nil
}

// domain returns the part of addr after its last @, lower-cased.
func domain(addr string) string {
	return strings.ToLower(addr[strings.LastIndexByte(addr, '@')+1:])
}

// compose validates m and returns its envelope recipient and its RFC 5322
// encoding, sent by from at now.
func compose(from string, m iswigo.Message, now time.Time) (rcpt string, data []byte, err error) {
	if from == "" {
		from = DefaultFrom
	}
	fromAddr, err := parseFrom(from)
	if err != nil {
		return "", nil, err
	}
	toAddr, err := parseTo(m.To)
	if err != nil {
		return "", nil, err
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return "", nil, iswigo.Errorf(iswigo.EINVALID, "Invalid e-mail subject: it contains a line break")
	}
	subject := mime.QEncoding.Encode("utf-8", strings.ToValidUTF8(m.Subject, "\uFFFD"))

	var b bytes.Buffer
	writeHeader(&b, "From", fromAddr.String())
	writeHeader(&b, "To", toAddr.String())
	writeHeader(&b, "Subject", subject)
	writeHeader(&b, "Date", now.Format(time.RFC1123Z))
	writeHeader(&b, "Message-ID", "<"+rand.Text()+"@"+domain(fromAddr.Address)+">")
	writeHeader(&b, "MIME-Version", "1.0")
	writeHeader(&b, "Content-Type", "text/plain; charset=utf-8")
	writeHeader(&b, "Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")

	body := normalizeNewlines(strings.ToValidUTF8(m.Body, "\uFFFD"))
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(body)) // writes to a bytes.Buffer do not fail
	qp.Close()
	if body != "" && !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
		// End with a soft line break, so that the message ends with CRLF
		// and yet the body decodes without a final newline.
		b.WriteString("=\r\n")
	}
	return toAddr.Address, b.Bytes(), nil
}

// writeHeader writes the field name: value, folding value at its spaces to
// keep lines within maxHeaderLine where possible. value must not contain
// CR or LF.
func writeHeader(b *bytes.Buffer, name, value string) {
	b.WriteString(name)
	b.WriteString(":")
	n := len(name) + 1
	for _, word := range strings.Split(value, " ") {
		// The fold may come right after the colon: an encoded word is up to
		// 75 bytes, and lines with encoded words must not exceed 76.
		if word != "" && n+1+len(word) > maxHeaderLine {
			b.WriteString("\r\n")
			n = 0
		}
		b.WriteString(" ")
		b.WriteString(word)
		n += 1 + len(word)
	}
	b.WriteString("\r\n")
}

// normalizeNewlines turns CRLF and lone CR into LF.
func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}
