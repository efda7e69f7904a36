// SPDX-License-Identifier: Apache-2.0

package woob

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// The test binary is also a fake bridge: started through a symbolic link
// named fakebridge-<mode> (the bridge's environment carries nothing, so the
// name says what to do), it speaks the protocol as mode says, to test the
// Go side against crashes, garbage, hangs, floods and late answers.
func fakeBridgeMode() (string, bool) {
	return strings.CutPrefix(filepath.Base(os.Args[0]), "fakebridge-")
}

// fakeBridge runs mode; what it saw (argv, environment, first command,
// answers) goes to $HOME/seen.json for the test to read.
func fakeBridge(mode string) int {
	in := bufio.NewReader(os.Stdin)
	send := func(line string) { os.Stdout.WriteString(line + "\n") }
	seen := map[string]any{"argv": os.Args, "env": os.Environ()}
	record := func() {
		b, _ := json.Marshal(seen)
		os.WriteFile(filepath.Join(os.Getenv("HOME"), "seen.json"), b, 0o600)
	}
	if mode == "protocol2" {
		send(`{"type":"hello","protocol":2}`)
		return 0
	}
	send(`{"type":"hello","protocol":1,"woob":"3.7","python":"fake"}`)
	cmd, _ := in.ReadString('\n')
	seen["command"] = cmd
	record()
	account := `{"type":"account","id":"A1","kind":"CHECKING","label":"Compte","balance":"12.30","currency":"EUR"}`
	switch mode {
	case "good":
		send(`{"type":"progress","percent":5,"key":"connecting"}`)
		send(account)
		send(`{"type":"transactions","account_id":"A1","kind":"history","items":[{"date":"2026-03-01","amount":"-4.10","label":"CAFE"}]}`)
		send(`{"type":"transactions_end","account_id":"A1"}`)
		send(`{"type":"state","data":{"browser_state":{"cookies":"x"}}}`)
		send(`{"type":"done"}`)
	case "crash":
		send(account)
		os.Exit(3)
	case "garbage":
		send(`<html>Bad gateway</html>`)
		time.Sleep(time.Minute)
	case "exit0":
		send(account)
	case "hang":
		child := exec.Command("/bin/sleep", "600")
		child.Start()
		seen["pids"] = []int{os.Getpid(), child.Process.Pid}
		record()
		send(`{"type":"progress","percent":5,"key":"connecting"}`)
		select {}
	case "huge":
		os.Stdout.WriteString(`{"type":"progress","key":"` + strings.Repeat("x", 4<<20))
		time.Sleep(time.Minute)
	case "flood":
		for {
			send(`{"type":"progress","percent":5,"key":"connecting"}`)
		}
	case "late":
		send(`{"type":"ask","field":"code","message":"Code sent by SMS"}`)
		answer, _ := in.ReadString('\n')
		seen["answer"] = answer
		record()
		send(account)
		send(`{"type":"done"}`)
	case "unknown_kind":
		send(`{"type":"error","kind":"cosmic_ray","message":"?"}`)
	default:
		fmt.Fprintln(os.Stderr, "unknown fake bridge mode", mode)
		return 2
	}
	return 0
}
