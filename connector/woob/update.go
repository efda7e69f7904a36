// SPDX-License-Identifier: Apache-2.0

package woob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// updatedDirs are the parts of woob's data directory an update changes.
var updatedDirs = []string{"modules", "repositories", "keyrings", "icons"}

// Update runs woob's module update: the repositories' indexes are read
// again (from the internet, for woob's own repository) and every bank and
// document module (those of opts.Modules only, when set) is installed or
// brought to the repository's version. The data directory's module,
// repository, keyring and icon directories are copied first and put back
// if anything fails. Each installed module is written to out.
func Update(ctx context.Context, opts Options, out io.Writer) (err error) {
	if opts.Python == "" || opts.DataDir == "" {
		return errors.New("woob update: the interpreter (--woob-python) and the data directory are required")
	}
	opts = opts.withDefaults()
	if err := os.MkdirAll(opts.DataDir, 0o755); err != nil {
		return fmt.Errorf("woob update: %w", err)
	}
	backup := filepath.Join(opts.DataDir, "iswigo", "backup-"+strconv.FormatInt(time.Now().UnixNano(), 36))
	if err := backupDirs(opts.DataDir, backup); err != nil {
		os.RemoveAll(backup)
		return fmt.Errorf("woob update: back up the modules: %w", err)
	}
	defer func() {
		if err != nil {
			if rerr := restoreDirs(opts.DataDir, backup); rerr != nil {
				err = fmt.Errorf("%w; and restoring the backup %s failed: %v", err, backup, rerr)
				return
			}
			err = fmt.Errorf("%w (the previous modules are restored)", err)
		}
		os.RemoveAll(backup)
	}()
	r := &runner{opts: opts}
	b, err := r.start(ctx, r.toolMemoryLimit())
	if err != nil {
		return fmt.Errorf("woob update: %w", err)
	}
	defer b.close()
	if err := b.send(updateCommand{Type: "update", Data: opts.DataDir, Modules: opts.Modules}); err != nil {
		return fmt.Errorf("woob update: %w", err)
	}
	for {
		m, err := b.recv(ctx)
		if err != nil {
			return fmt.Errorf("woob update: %w", err)
		}
		switch m.Type {
		case "installed":
			fmt.Fprintf(out, "installed %s %s\n", m.Name, m.Version)
		case "done":
			fmt.Fprintf(out, "woob %s: %d modules installed or updated\n", b.hello.Woob, m.Count)
			return nil
		case "error":
			return fmt.Errorf("woob update: %s: %s", m.Kind, m.Message)
		default:
			return fmt.Errorf("woob update: %w: unexpected %q", errBridge, m.Type)
		}
	}
}

func backupDirs(data, backup string) error {
	for _, d := range updatedDirs {
		src := filepath.Join(data, d)
		if _, err := os.Stat(src); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err := copyTree(src, filepath.Join(backup, d)); err != nil {
			return err
		}
	}
	return os.MkdirAll(backup, 0o755)
}

// restoreDirs puts the backed-up directories back, removing those the
// update created.
func restoreDirs(data, backup string) error {
	for _, d := range updatedDirs {
		if err := os.RemoveAll(filepath.Join(data, d)); err != nil {
			return err
		}
		saved := filepath.Join(backup, d)
		if _, err := os.Stat(saved); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err := os.Rename(saved, filepath.Join(data, d)); err != nil {
			return err
		}
	}
	return nil
}

// copyTree copies the directory src to dst (files, directories and
// symbolic links, with their permissions).
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(target, info.Mode().Perm()|0o700)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case d.Type().IsRegular():
			return copyFile(path, target, info.Mode().Perm())
		}
		return nil
	})
}

func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
