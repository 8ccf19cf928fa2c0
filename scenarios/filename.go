package scenarios

import "strings"

// maxStem bounds a file or folder name made from a name in a file, well
// under the 255 bytes file systems allow, so that a suffix still fits.
const maxStem = 100

// FileStem turns a name from an input (a scenario's world.name, a sweep's
// or game's name, a platform) into one safe path component: letters,
// digits, '_' and '-' are kept, a '.' only after a letter or digit (so
// "v1.2" stays, ".." cannot occur), everything else becomes '_', and the
// result has at most 100 bytes. It is the one function every command uses
// for names that become paths, so that --set world.name=../../x cannot
// write outside the output folder. An empty name gives "unnamed".
func FileStem(name string) string {
	var b strings.Builder
	prevAlnum := false
	for _, r := range name {
		if b.Len() >= maxStem {
			break
		}
		alnum := r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
		switch {
		case alnum || r == '-' || r == '_':
			b.WriteRune(r)
		case r == '.' && prevAlnum:
			b.WriteByte('.')
		default:
			b.WriteByte('_')
		}
		prevAlnum = alnum
	}
	if b.Len() == 0 {
		return "unnamed"
	}
	return b.String()
}
