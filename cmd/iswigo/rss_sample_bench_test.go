// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// rssSample is one sample of BenchmarkServeRSS under load: the process's
// memory as the kernel sees it (KB) and the Go heap as its /metrics says
// (bytes).
type rssSample struct {
	at                 time.Time
	rss, anon, file    int64
	heapInuse, heapIdl int64 // heap spans in use; idle spans still mapped (idle minus released)
	nextGC             int64
}

// sampleProcess reads /proc/pid/status and the server's /metrics.
func sampleProcess(b *testing.B, pid int, baseURL string) rssSample {
	s := rssSample{at: time.Now(), rss: procStatus(b, pid, "VmRSS:"), anon: procStatus(b, pid, "RssAnon:"), file: procStatus(b, pid, "RssFile:")}
	resp, err := http.Get(baseURL + "/metrics")
	if err != nil {
		return s
	}
	defer resp.Body.Close()
	var idle, released int64
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		f, err := strconv.ParseFloat(value, 64)
		if err != nil {
			continue
		}
		switch name {
		case "go_memstats_heap_inuse_bytes":
			s.heapInuse = int64(f)
		case "go_memstats_heap_idle_bytes":
			idle = int64(f)
		case "go_memstats_heap_released_bytes":
			released = int64(f)
		case "go_memstats_next_gc_bytes":
			s.nextGC = int64(f)
		}
	}
	s.heapIdl = idle - released
	return s
}

// printRSSTable prints every sample, then the lowest, highest and mean
// VmRSS and RssAnon, the spread of each around its mean, and the mean of
// each third of the run.
func printRSSTable(table []rssSample) {
	if len(table) == 0 {
		return
	}
	mb := func(kb int64) float64 { return float64(kb) / 1024 }
	fmt.Fprintf(os.Stderr, "serve rss: %-8s %8s %8s %8s %10s %10s %8s\n", "t", "VmRSS", "RssAnon", "RssFile", "heapInuse", "heapIdle", "nextGC")
	for _, s := range table {
		fmt.Fprintf(os.Stderr, "serve rss: %-8s %8.1f %8.1f %8.1f %10.1f %10.1f %8.1f\n", s.at.Sub(table[0].at).Round(time.Second),
			mb(s.rss), mb(s.anon), mb(s.file), float64(s.heapInuse)/(1<<20), float64(s.heapIdl)/(1<<20), float64(s.nextGC)/(1<<20))
	}
	stat := func(name string, f func(rssSample) int64) {
		lo, hi, sum := f(table[0]), f(table[0]), int64(0)
		for _, s := range table {
			lo, hi, sum = min(lo, f(s)), max(hi, f(s)), sum+f(s)
		}
		mean := float64(sum) / float64(len(table))
		var thirds []string
		for i := range 3 {
			part := table[i*len(table)/3 : (i+1)*len(table)/3]
			var t int64
			for _, s := range part {
				t += f(s)
			}
			if len(part) > 0 {
				thirds = append(thirds, fmt.Sprintf("%.1f", float64(t)/float64(len(part))/1024))
			}
		}
		fmt.Fprintf(os.Stderr, "serve rss: %s over %d samples: min %.1f max %.1f mean %.1f MB, spread around the mean -%.1f%% +%.1f%%, means of each third %s MB\n",
			name, len(table), mb(lo), mb(hi), mean/1024, (mean-float64(lo))/mean*100, (float64(hi)-mean)/mean*100, strings.Join(thirds, ", "))
	}
	stat("VmRSS", func(s rssSample) int64 { return s.rss })
	stat("RssAnon", func(s rssSample) int64 { return s.anon })
}
