// Package needdisplay lets the visualizer's tests report SKIP when there
// is no display, instead of crashing: Ebitengine opens GLFW in a package
// initializer and panics without an X or Wayland display, before any test
// or TestMain can run.
//
// A test binary that imports this package for its side effect is checked
// first: Go initializes the packages in import-path order as far as their
// imports allow (the Go spec, "Package initialization"), and this one
// imports only syscall, which every Ebitengine package waits for through
// os. Without a display it prints each test of the package (the Test
// functions of its _test.go files, in the folder go test runs it in) as
// skipped, with the reason, in the testing package's format (so go test
// -v and go test -json show them as SKIP), and exits. With
// HONGBAO_VIZ_REQUIRE_DISPLAY set (scripts/test-viz.sh) it fails instead.
//
// Only syscall (and internal/scan, which imports only syscall) may be
// imported here: any package initialized after os could let Ebitengine
// initialize first.
package needdisplay

// Reason is printed with every skipped test.
const Reason = "SKIP: no display because DISPLAY and WAYLAND_DISPLAY are unset and Ebitengine needs one; run xvfb-run -a go test ./viz/... (scripts/test-viz.sh)"
