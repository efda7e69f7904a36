// SPDX-License-Identifier: Apache-2.0

package sandbox

import (
	"hash/fnv"
	"strconv"
	"time"

	"github.com/iswigo/iswigo"
)

// rng is a splitmix64 generator: small, fast, and the same on every
// platform and Go version, unlike math/rand's streams.
type rng uint64

func (r *rng) next() uint64 {
	*r += 0x9E3779B97F4A7C15
	return mix64(uint64(*r))
}

// intn returns a number in [0, n). The modulo bias is irrelevant here.
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// between returns a number in [lo, hi].
func (r *rng) between(lo, hi int64) int64 { return lo + int64(r.next()%uint64(hi-lo+1)) }

// chance is true num times out of den.
func (r *rng) chance(num, den int) bool { return r.intn(den) < num }

func (r *rng) pick(list []string) string { return list[r.intn(len(list))] }

// digits returns n random decimal digits.
func (r *rng) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.intn(10))
	}
	return string(b)
}

// mix64 is splitmix64's finalizer.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// seedOf returns the seed of a login: everything a connection produces
// derives from it.
func seedOf(login string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(login))
	return h.Sum64()
}

// Topics separate the random streams drawn from one seed.
const (
	topicChecking uint64 = iota + 1
	topicCard
	topicSavings
	topicCheque
	topicSalary
	topicEnergy
	topicBulk
	topicInvoice
)

// stream returns the generator of one (seed, topic, n) triple, where n is a
// day or a month number: the same triple always gives the same numbers.
func stream(seed, topic uint64, n int) rng {
	return rng(mix64(seed ^ mix64(topic<<40^uint64(int64(n)))))
}

// day is a calendar day, counted from 1970-01-01.
type day int

func dayOf(d iswigo.Date) day { return day(d.Time().Unix() / 86400) }

func civilDay(y int, m time.Month, d int) day {
	return day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func (d day) time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

func (d day) date() iswigo.Date { return iswigo.DateOf(d.time()) }

func (d day) civil() (int, time.Month, int) { return d.time().Date() }

func (d day) weekday() time.Weekday { return time.Weekday(((int(d)+4)%7 + 7) % 7) }

// month returns the month number of d (year*12 + month-1).
func (d day) month() int { y, m, _ := d.civil(); return monthNumber(y, m) }

// ddmm writes d as "DD/MM", the way card operations name their day.
func (d day) ddmm() string {
	_, m, dd := d.civil()
	return twoDigits(dd) + "/" + twoDigits(int(m))
}

func monthNumber(y int, m time.Month) int { return y*12 + int(m) - 1 }

// monthStart returns the first day of month number n.
func monthStart(n int) day { return civilDay(n/12, time.Month(n%12+1), 1) }

// monthLabel writes month number n as "MM/YYYY".
func monthLabel(n int) string { return twoDigits(n%12+1) + "/" + strconv.Itoa(n/12) }

// monthKey writes month number n as "YYYY-MM".
func monthKey(n int) string { return strconv.Itoa(n/12) + "-" + twoDigits(n%12+1) }

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// businessDayOnOrAfter returns day dd of the month, moved to the next
// Monday when it falls on a weekend (dd ≤ 28 keeps it in the month).
func businessDayOnOrAfter(y int, m time.Month, dd int) day {
	d := civilDay(y, m, dd)
	switch d.weekday() {
	case time.Saturday:
		return d + 2
	case time.Sunday:
		return d + 1
	}
	return d
}

// businessDayOnOrBefore returns day dd of the month, moved to the previous
// Friday when it falls on a weekend.
func businessDayOnOrBefore(y int, m time.Month, dd int) day {
	d := civilDay(y, m, dd)
	switch d.weekday() {
	case time.Saturday:
		return d - 1
	case time.Sunday:
		return d - 2
	}
	return d
}

func eur(minor int64) iswigo.Money { return iswigo.Money{Minor: minor, Currency: "EUR"} }
