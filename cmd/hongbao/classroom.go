package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/paywars/hongbao/classroom"
)

func init() {
	register(command{name: "classroom", summary: "serve the class game: teams play the platforms in the browser", run: classroomCmd})
}

var classroomHelp = help{
	synopsis: []string{
		"hongbao classroom [--addr :8080] [--data DIR]",
		"hongbao classroom --bench [--sessions 4] [--students 40] [--users 100000] [--rounds 3] [--round-days 30]",
	},
	about: `Starts the classroom server: one program, its pages built in, nothing fetched
from the internet, so it works on a classroom LAN without one. It prints the
teacher's link (keep it: it carries the teacher's token) and the address
students open, with a QR code. The teacher creates a session (a scenario,
rounds, a timer, the levers teams control, which seats bots play) and
gets a six-letter join code; students join a team from a phone or laptop.

Every action is written to DIR/sessions/ before it is acknowledged: a
server stopped in any way and started again on the same --data resumes
every session where it was, and the pages reconnect by themselves.

--bench runs a load test on 127.0.0.1 instead: sessions of students, each
a real websocket client, submit every round of a world of --users users,
and the time from the last submission to every student's new dashboard is
printed. See docs/classroom.md.`,
	examples: []string{"hongbao classroom --addr :8080 --data classroom-data"},
}

func classroomCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("classroom", stderr, classroomHelp)
	addr := fs.String("addr", ":8080", "address to listen on (host:port)")
	data := fs.String("data", "classroom-data", "data folder: the sessions' logs and the teacher's token")
	bench := fs.Bool("bench", false, "run the load benchmark on 127.0.0.1 and exit")
	sessions := fs.Int("sessions", 4, "--bench: sessions at once")
	students := fs.Int("students", 40, "--bench: students per session")
	users := fs.Int("users", 100_000, "--bench: users of each session's world")
	rounds := fs.Int("rounds", 3, "--bench: rounds to play")
	roundDays := fs.Int("round-days", 30, "--bench: days a round")
	pos, code, done := parseArgs(fs, args)
	if done {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "hongbao classroom: unexpected argument %q\n", pos[0])
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *bench {
		rep, err := classroom.Bench(ctx, classroom.BenchOptions{Sessions: *sessions, Students: *students, Users: *users, Rounds: *rounds, RoundDays: *roundDays, Log: stderr})
		if err != nil {
			fmt.Fprintln(stderr, "hongbao classroom:", err)
			return 1
		}
		rep.Write(stdout)
		return 0
	}
	srv, err := classroom.NewServer(*data)
	if err != nil {
		fmt.Fprintln(stderr, "hongbao classroom:", err)
		return 1
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(stderr, "hongbao classroom:", err)
		return 1
	}
	port := ln.Addr().(*net.TCPAddr).Port
	host := lanAddress()
	srv.SetPublicBase(fmt.Sprintf("http://%s:%d", host, port))
	srv.Logf = func(format string, a ...any) {
		fmt.Fprintf(stdout, time.Now().Format("15:04:05 ")+format+"\n", a...)
	}
	fmt.Fprintf(stdout, "hongbao classroom: data in %s\n\n", *data)
	fmt.Fprintf(stdout, "Teacher (keep this link to yourself):\n  http://localhost:%d/teacher#%s\n\n", port, srv.TeacherToken())
	join := srv.PublicBase + "/join"
	fmt.Fprintf(stdout, "Students open:\n  %s\n", join)
	if qr, err := classroom.QRText(join); err == nil {
		fmt.Fprintln(stdout, qr)
	}
	for _, s := range srv.Sessions() {
		ph, r := s.Phase()
		fmt.Fprintf(stdout, "resumed session %s (%s, round %d): %s\n", s.Code, ph, r+1, classroom.JoinURL(srv.PublicBase, s.Code))
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: 16 << 10}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(stderr, "hongbao classroom:", err)
			return 1
		}
	case <-ctx.Done():
		fmt.Fprintln(stdout, "stopping: every session is on disk")
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
	}
	return 0
}

// lanAddress is the first IPv4 address of an interface that is up and not
// loopback: what a phone on the classroom's network can reach. Without one
// (a laptop offline) it is localhost.
func lanAddress() string {
	ifs, err := net.Interfaces()
	if err != nil {
		return "localhost"
	}
	for _, ifc := range ifs {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 || strings.HasPrefix(ifc.Name, "docker") {
			continue
		}
		addrs, _ := ifc.Addrs()
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok && ipn.IP.To4() != nil {
				return ipn.IP.String()
			}
		}
	}
	return "localhost"
}
