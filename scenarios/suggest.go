package scenarios

import "strings"

// DidYouMean is the "did you mean" of every message about an unknown name
// in scenario, sweep and game files: "; did you mean X?" for the candidate
// closest to word (Suggest), else "; " + listIntro + " " and the
// candidates separated by commas ("; the kinds are a, b"), or "" when
// listIntro is "". Append it to a message that names the unknown word.
func DidYouMean(word string, candidates []string, listIntro string) string {
	if s := suggest(word, candidates); s != "" {
		return "; did you mean " + s + "?"
	}
	if listIntro == "" {
		return ""
	}
	return "; " + listIntro + " " + strings.Join(candidates, ", ")
}
