// SPDX-License-Identifier: Apache-2.0

package woob

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

//go:embed bridge/iswigo_woob_bridge.py
var bridgeSource []byte

// errBridge marks a bridge that died, broke the protocol, overflowed its
// bounds or went silent: errno 1 (retried).
var errBridge = errors.New("woob bridge")

// runner starts bridge processes. It is shared by the catalogue and every
// module's connector; safe for concurrent use.
type runner struct {
	opts Options

	once       sync.Once
	scriptPath string
	scriptErr  error
}

// script writes the embedded bridge into the data directory once, under a
// name that changes with its content, and returns its path.
func (r *runner) script() (string, error) {
	r.once.Do(func() {
		sum := sha256.Sum256(bridgeSource)
		dir := filepath.Join(r.opts.DataDir, "iswigo")
		path := filepath.Join(dir, "iswigo_woob_bridge-"+hex.EncodeToString(sum[:6])+".py")
		r.scriptPath = path
		if b, err := os.ReadFile(path); err == nil && bytes.Equal(b, bridgeSource) {
			return
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			r.scriptErr = err
			return
		}
		tmp, err := os.CreateTemp(dir, ".bridge-*")
		if err != nil {
			r.scriptErr = err
			return
		}
		_, err = tmp.Write(bridgeSource)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp.Name(), path)
		}
		if err != nil {
			os.Remove(tmp.Name())
			r.scriptErr = err
		}
	})
	return r.scriptPath, r.scriptErr
}

// environ is the bridge's whole environment: nothing of iswigo's.
func (r *runner) environ() []string {
	return []string{
		"PATH=" + filepath.Dir(r.opts.Python) + ":/usr/local/bin:/usr/bin:/bin",
		"HOME=" + r.opts.DataDir,
		"LANG=C.UTF-8",
		"LC_ALL=C.UTF-8",
		"PYTHONDONTWRITEBYTECODE=1",
		"PYTHONIOENCODING=utf-8",
	}
}

// toolMemoryLimit is the address-space limit of the bridges that list or
// install modules: listing imports every module in one process, where a
// sync imports one.
func (r *runner) toolMemoryLimit() int64 {
	if r.opts.MemoryLimit <= 0 {
		return 0
	}
	return 4 * r.opts.MemoryLimit
}

// bridge is one running bridge process. Its methods are for one goroutine.
type bridge struct {
	r     *runner
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines chan lineOrErr
	hello message

	stderrDone chan struct{} // closed when its log is read to the end
	exited     chan struct{} // closed once the process is reaped
	waitErr    error         // how it ended; set before exited is closed

	mu      sync.Mutex
	secrets []string // scrubbed from its log lines
}

type lineOrErr struct {
	line []byte
	err  error
}

// start runs a bridge under the address-space limit memoryLimit (bytes; 0
// or less = none), reads its hello and checks its protocol. secrets are
// replaced by *** in its log lines (more can be added with addSecret). The
// process is killed when ctx ends.
func (r *runner) start(ctx context.Context, memoryLimit int64, secrets ...string) (*bridge, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	script, err := r.script()
	if err != nil {
		return nil, fmt.Errorf("%w: write the bridge program: %v", errBridge, err)
	}
	args := []string{"-I", script}
	if memoryLimit > 0 {
		args = append(args, "--memory-limit", strconv.FormatInt(memoryLimit, 10))
	}
	cmd := exec.CommandContext(ctx, r.opts.Python, args...)
	cmd.Env = r.environ()
	cmd.Dir = r.opts.DataDir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return killGroup(cmd) }
	cmd.WaitDelay = 2 * time.Second
	b := &bridge{r: r, cmd: cmd, lines: make(chan lineOrErr, 16), stderrDone: make(chan struct{}), exited: make(chan struct{})}
	for _, s := range secrets {
		b.addSecret(s)
	}
	if b.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%w: start %s: %v", errBridge, r.opts.Python, err)
	}
	go b.readStdout(stdout)
	go b.readStderr(stderr)
	hello, err := b.recvWithin(ctx, r.opts.StartTimeout)
	if err != nil {
		b.close()
		return nil, err
	}
	if hello.Type != "hello" || hello.Protocol != ProtocolVersion {
		b.close()
		return nil, fmt.Errorf("%w: expected hello with protocol %d, got %q protocol %d", errBridge, ProtocolVersion, hello.Type, hello.Protocol)
	}
	b.hello = hello
	return b, nil
}

func killGroup(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}

func (b *bridge) addSecret(s string) {
	if len(s) < 3 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	// Longest first: a secret inside another must not leave the rest of
	// the longer one in clear.
	i, _ := slices.BinarySearchFunc(b.secrets, s, func(e, t string) int { return len(t) - len(e) })
	b.secrets = slices.Insert(b.secrets, i, s)
}

func (b *bridge) scrub(line string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.secrets {
		line = strings.ReplaceAll(line, s, "***")
	}
	return line
}

// readStdout sends each line to b.lines, then the error that ended the
// output (io.EOF at the end, once the process is reaped), then closes
// b.lines. A line longer than MaxLine or an output beyond MaxOutput ends it
// with an error at once.
func (b *bridge) readStdout(r io.Reader) {
	final := b.readLines(r)
	<-b.stderrDone
	b.waitErr = b.cmd.Wait()
	close(b.exited)
	if final != nil {
		b.lines <- lineOrErr{err: final}
	}
	close(b.lines)
}

// readLines sends the lines of r to b.lines; it returns io.EOF at the end
// of r, or nil after sending an error of its own (and discarding the rest).
func (b *bridge) readLines(r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var total int64
	for {
		var line []byte
		for {
			chunk, err := br.ReadSlice('\n')
			line = append(line, chunk...)
			total += int64(len(chunk))
			if len(line) > b.r.opts.MaxLine {
				b.lines <- lineOrErr{err: fmt.Errorf("%w: a line longer than %d bytes", errBridge, b.r.opts.MaxLine)}
				io.Copy(io.Discard, br)
				return nil
			}
			if total > b.r.opts.MaxOutput {
				b.lines <- lineOrErr{err: fmt.Errorf("%w: more than %d bytes of output", errBridge, b.r.opts.MaxOutput)}
				io.Copy(io.Discard, br)
				return nil
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			if err != nil {
				if len(line) > 0 {
					b.lines <- lineOrErr{err: fmt.Errorf("%w: output ends inside a line", errBridge)}
					return nil
				}
				return io.EOF
			}
			break
		}
		b.lines <- lineOrErr{line: line}
	}
}

// maxLogged bounds what one bridge may write to iswigo's log.
const maxLogged = 256 << 10

// readStderr logs the bridge's log lines, scrubbed, at debug level (at
// most maxLogged bytes; the rest is read and dropped).
func (b *bridge) readStderr(r io.Reader) {
	defer close(b.stderrDone)
	br := bufio.NewReaderSize(r, 16<<10)
	logged := 0
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 && logged < maxLogged {
			logged += len(line)
			if len(line) > 4096 {
				line = line[:4096]
			}
			b.r.opts.Logger.Debug("woob bridge", "line", b.scrub(strings.TrimRight(string(line), "\n")))
		}
		if err != nil && err != bufio.ErrBufferFull {
			return
		}
	}
}

// recv returns the bridge's next message. It fails with ctx's error when
// ctx ends, and with errBridge when the bridge dies, writes something that
// is not a JSON object with a type, or stays silent for IdleTimeout.
func (b *bridge) recv(ctx context.Context) (message, error) {
	return b.recvWithin(ctx, b.r.opts.IdleTimeout)
}

func (b *bridge) recvWithin(ctx context.Context, limit time.Duration) (message, error) {
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return message{}, fmt.Errorf("woob bridge: %w", ctx.Err())
	case <-timer.C:
		return message{}, fmt.Errorf("%w: silent for %s", errBridge, limit)
	case l, ok := <-b.lines:
		if !ok {
			return message{}, fmt.Errorf("%w: output closed", errBridge)
		}
		if l.err != nil {
			if err := ctx.Err(); err != nil {
				return message{}, fmt.Errorf("woob bridge: %w", err)
			}
			if l.err == io.EOF {
				return message{}, fmt.Errorf("%w: exited before the end (%s)", errBridge, b.exitStatus())
			}
			return message{}, l.err
		}
		var m message
		if err := json.Unmarshal(l.line, &m); err != nil || m.Type == "" {
			return message{}, fmt.Errorf("%w: not a protocol message: %.80q", errBridge, b.scrub(string(l.line)))
		}
		return m, nil
	}
}

// exitStatus describes how the process ended; called after io.EOF.
func (b *bridge) exitStatus() string {
	<-b.exited
	if b.waitErr == nil {
		return "exit status 0"
	}
	return b.waitErr.Error()
}

// send writes one message to the bridge's stdin.
func (b *bridge) send(v any) error {
	line, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if _, err := b.stdin.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("%w: write: %v", errBridge, err)
	}
	return nil
}

// close ends the bridge: stdin closed, its process group killed, its
// output drained, the process reaped. Idempotent.
func (b *bridge) close() {
	b.stdin.Close()
	select {
	case <-b.exited:
	default:
		killGroup(b.cmd)
	}
	for range b.lines {
	}
}
