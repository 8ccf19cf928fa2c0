package scenarios

import (
	"os"
	"strings"
)

// Guide is what a scenario file tells its reader to watch for and to try,
// taken from its "# What to look for:" and "# What to try:" comment
// blocks. The visualizer's guided mode shows it; keeping it in comments
// keeps the files readable as the documentation of their episode.
type Guide struct {
	LookFor string // the text after "What to look for:", one paragraph
	Try     string // the text after "What to try:", one paragraph
}

// Empty reports whether the file had neither block.
func (g Guide) Empty() bool { return g.LookFor == "" && g.Try == "" }

// Guide headings, matched at the start of a comment line, any case.
const (
	lookForHeading = "what to look for:"
	tryHeading     = "what to try:"
)

// ParseGuide reads the guide of a scenario file's source. A block starts
// at a comment line that begins with its heading and runs over the comment
// lines that follow, up to an empty comment line ("#"), a line that is not
// a comment, or the other heading; its lines are joined with single
// spaces. Only the first block of each kind counts. A file without the
// blocks has an empty Guide: the comments are documentation, never an
// error.
func ParseGuide(src []byte) Guide {
	var g Guide
	var cur *string // the block being read, nil between blocks
	for _, line := range strings.Split(string(src), "\n") {
		text, ok := strings.CutPrefix(strings.TrimSpace(line), "#")
		if !ok {
			cur = nil
			continue
		}
		text = strings.TrimSpace(text)
		lower := strings.ToLower(text)
		switch {
		case strings.HasPrefix(lower, lookForHeading):
			cur = startBlock(&g.LookFor)
			text = text[len(lookForHeading):]
		case strings.HasPrefix(lower, tryHeading):
			cur = startBlock(&g.Try)
			text = text[len(tryHeading):]
		case text == "":
			cur = nil
		}
		if cur != nil {
			*cur = strings.Join(strings.Fields(*cur+" "+text), " ")
		}
	}
	return g
}

// startBlock returns dst to be filled, or nil when an earlier block
// already filled it.
func startBlock(dst *string) *string {
	if *dst != "" {
		return nil
	}
	return dst
}

// GuideOf reads the guide of a library scenario or a .toml file, named as
// [Load] takes it.
func GuideOf(nameOrPath string) (Guide, error) {
	var src []byte
	var err error
	if IsPath(nameOrPath) {
		src, err = os.ReadFile(nameOrPath)
	} else {
		src, err = LibrarySource(nameOrPath)
	}
	if err != nil {
		return Guide{}, err
	}
	return ParseGuide(src), nil
}
