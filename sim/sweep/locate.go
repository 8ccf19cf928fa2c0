package sweep

import (
	"strconv"
	"strings"

	"github.com/paywars/hongbao/scenarios"
)

// pos is a 1-based line and column in a sweep file; zero means unknown.
type pos struct{ line, col int }

// keyPositions finds keys in a sweep file with the scenario loader's
// locator, so that sweep and scenario problems point the same way.
type keyPositions struct{ scenarios.KeyLocator }

// find returns where path (or its nearest located ancestor) is.
func (k keyPositions) find(path string) pos {
	l, c := k.Find(path)
	return pos{l, c}
}

func locateKeys(src []byte) keyPositions { return keyPositions{scenarios.LocateKeys(src)} }

func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func joinIndex(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func parentPath(path string) string {
	if strings.HasSuffix(path, "]") {
		if j := strings.LastIndexByte(path, '['); j >= 0 {
			return path[:j]
		}
	}
	if j := strings.LastIndexByte(path, '.'); j >= 0 {
		return path[:j]
	}
	return ""
}
