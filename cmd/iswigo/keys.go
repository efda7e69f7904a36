// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"fmt"
	"io"

	"github.com/iswigo/iswigo/auth"
	"github.com/iswigo/iswigo/crypt"
)

func runKeys(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("keys: want a subcommand: rotate, rotate-data-key, rewrap")
	}
	sub, args := args[0], args[1:]
	fs := newFlagSet("keys "+sub, stderr)
	var sf storeFlags
	sf.register(fs)
	var newMasterKey *string
	switch sub {
	case "rotate", "rotate-data-key":
	case "rewrap":
		newMasterKey = fs.String("new-master-key", "", "the new key-encryption key URL (then serve with --master-key set to it)")
	default:
		return fmt.Errorf("keys: unknown subcommand %q", sub)
	}
	db, err := parseAndOpenStore(ctx, fs, args, &sf)
	if err != nil {
		return err
	}
	defer db.Close()
	switch sub {
	case "rotate":
		// Old keys stay published until the tokens they signed have expired.
		kid, err := auth.NewTokenService(db, auth.TokenOptions{}).Rotate(ctx)
		if err != nil {
			return err
		}
		return printJSON(stdout, map[string]string{"kid": kid})
	case "rotate-data-key":
		id, err := db.Cipher.(*crypt.Cipher).Rotate(ctx)
		if err != nil {
			return err
		}
		return printJSON(stdout, map[string]string{"data_key_id": id})
	default: // rewrap
		if *newMasterKey == "" {
			return fmt.Errorf("keys rewrap: --new-master-key is required")
		}
		kek, err := crypt.OpenKEK(ctx, *newMasterKey, sf.data)
		if err != nil {
			return err
		}
		if err := db.Cipher.(*crypt.Cipher).Rewrap(ctx, kek); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "data keys re-wrapped: serve with --master-key set to the new key from now on")
		return nil
	}
}
