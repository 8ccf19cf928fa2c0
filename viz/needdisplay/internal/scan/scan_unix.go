//go:build linux || freebsd || openbsd || netbsd || dragonfly

// Package scan finds the Test functions of a folder with nothing but
// syscall, for package needdisplay, which must initialize before any
// package that Ebitengine's initializer waits for.
package scan

import "syscall"

// Write writes s to file descriptor fd, in full unless it fails.
func Write(fd int, s string) {
	b := []byte(s)
	for len(b) > 0 {
		n, err := syscall.Write(fd, b)
		if err != nil || n <= 0 {
			return
		}
		b = b[n:]
	}
}

// TestNames lists the Test functions (func TestXxx(t *testing.T), not
// TestMain) of the _test.go files in dir, file by file.
func TestNames(dir string) []string {
	var names []string
	for _, f := range dirNames(dir) {
		if !hasSuffix(f, "_test.go") {
			continue
		}
		src := readFile(dir + "/" + f)
		const prefix = "\nfunc Test"
		for i := 0; i+len(prefix) <= len(src); i++ {
			if string(src[i:i+len(prefix)]) != prefix {
				continue
			}
			j := i + len("\nfunc ")
			k := j
			for k < len(src) && (src[k] == '_' || src[k] >= 'a' && src[k] <= 'z' || src[k] >= 'A' && src[k] <= 'Z' || src[k] >= '0' && src[k] <= '9') {
				k++
			}
			name := string(src[j:k])
			if name != "TestMain" && k < len(src) && string(src[k:min(k+len("(t *testing.T)"), len(src))]) == "(t *testing.T)" {
				names = append(names, name)
			}
		}
	}
	return names
}

func hasSuffix(s, suffix string) bool {
	return len(s) >= len(suffix) && s[len(s)-len(suffix):] == suffix
}

// dirNames lists a folder's entries, sorted so the output is stable.
func dirNames(dir string) []string {
	fd, err := syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY, 0)
	if err != nil {
		return nil
	}
	defer syscall.Close(fd)
	var names []string
	buf := make([]byte, 8192)
	for {
		n, err := syscall.ReadDirent(fd, buf)
		if err != nil || n <= 0 {
			break
		}
		_, _, names = syscall.ParseDirent(buf[:n], -1, names)
	}
	for i := 1; i < len(names); i++ { // insertion sort: a handful of names
		for j := i; j > 0 && names[j] < names[j-1]; j-- {
			names[j], names[j-1] = names[j-1], names[j]
		}
	}
	return names
}

func readFile(path string) []byte {
	fd, err := syscall.Open(path, syscall.O_RDONLY, 0)
	if err != nil {
		return nil
	}
	defer syscall.Close(fd)
	var out []byte
	buf := make([]byte, 1<<16)
	for {
		n, err := syscall.Read(fd, buf)
		if err != nil || n <= 0 {
			return out
		}
		out = append(out, buf[:n]...)
	}
}
