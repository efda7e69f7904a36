// SPDX-License-Identifier: Apache-2.0

package widget

import (
	"html"
	"strings"
)

// titleSegment is a run of text of a provider's form title, with the only
// formatting the page renders: bold and italic. The page builds its nodes
// from segments with textContent, so a title never reaches innerHTML.
type titleSegment struct {
	Text   string `json:"text"`
	Strong bool   `json:"strong,omitempty"`
	Em     bool   `json:"em,omitempty"`
}

// titleSegments turns a provider's title, which may hold the tags strong,
// b, em, i and br and the placeholders %b% (provider name) and %i%
// (login), into segments. Other tags are dropped, their text kept.
func titleSegments(title, provider, login string) []titleSegment {
	var out []titleSegment
	strong, em := 0, 0
	emit := func(s string) {
		if s == "" {
			return
		}
		s = html.UnescapeString(s)
		s = strings.NewReplacer("%b%", provider, "%i%", login).Replace(s)
		if n := len(out); n > 0 && out[n-1].Strong == (strong > 0) && out[n-1].Em == (em > 0) {
			out[n-1].Text += s
			return
		}
		out = append(out, titleSegment{Text: s, Strong: strong > 0, Em: em > 0})
	}
	for title != "" {
		i := strings.IndexByte(title, '<')
		if i < 0 {
			emit(title)
			break
		}
		emit(title[:i])
		j := strings.IndexByte(title[i:], '>')
		if j < 0 {
			emit(title[i:])
			break
		}
		tag := strings.ToLower(strings.TrimSpace(title[i+1 : i+j]))
		closing := strings.HasPrefix(tag, "/")
		name := strings.Fields(strings.Trim(tag, "/ "))
		title = title[i+j+1:]
		if len(name) == 0 {
			continue
		}
		delta := 1
		if closing {
			delta = -1
		}
		switch name[0] {
		case "strong", "b":
			strong = max(0, strong+delta)
		case "em", "i":
			em = max(0, em+delta)
		case "br":
			emit(" ")
		}
	}
	return out
}
