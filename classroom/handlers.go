package classroom

import (
	"bytes"
	"context"
	"net/http"
	"time"

	qrcode "github.com/skip2/go-qrcode"
)

// JoinURL is the address students open to join session code: base is the
// server's address as students reach it (the LAN address the command
// prints), or the request's host.
func JoinURL(base, code string) string { return base + "/join/" + code }

func (srv *Server) base(r *http.Request) string {
	if srv.PublicBase != "" {
		return srv.PublicBase
	}
	return "http://" + r.Host
}

// handleQR serves the join URL's QR code as a PNG, for the teacher's page
// and the projector.
func (srv *Server) handleQR(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	s := (*Session)(nil)
	if codePattern.MatchString(code) {
		s = srv.Session(code)
	}
	if s == nil {
		writeJSON(w, http.StatusNotFound, apiError{"no session with this code"})
		return
	}
	png, err := qrcode.Encode(JoinURL(srv.base(r), s.Code), qrcode.Medium, 320)
	if err != nil {
		writeErr(w, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(png)
}

// QRText draws a URL's QR code for a terminal, two rows of modules a line.
func QRText(url string) (string, error) {
	q, err := qrcode.New(url, qrcode.Low)
	if err != nil {
		return "", err
	}
	return q.ToSmallString(false), nil
}

// overOrTeacher lets the teacher through at any time and others once the
// game is over, when every figure is the class's to discuss.
func (srv *Server) overOrTeacher(w http.ResponseWriter, r *http.Request, s *Session) bool {
	if srv.isTeacher(bearer(r)) {
		return true
	}
	if ph, _ := s.Phase(); ph == Over {
		return true
	}
	writeJSON(w, http.StatusConflict, apiError{"this opens when the last round has been played"})
	return false
}

func (srv *Server) handleDebrief(w http.ResponseWriter, r *http.Request, s *Session) {
	db, err := s.Debrief(r.URL.Query().Get("wait") == "1")
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, db)
}

// forkSlots bounds the forks simulated at once: each is a whole world.
var forkSlots = make(chan struct{}, 2)

func (srv *Server) handleFork(w http.ResponseWriter, r *http.Request, s *Session) {
	var req ForkRequest
	if !decodeBody(w, r, maxBodyBytes, &req) {
		return
	}
	select {
	case forkSlots <- struct{}{}:
		defer func() { <-forkSlots }()
	case <-time.After(30 * time.Second):
		writeJSON(w, http.StatusServiceUnavailable, apiError{"the server is busy with other forks; try again"})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Minute)
	defer cancel()
	run, err := s.Fork(ctx, req)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, run)
}

func (srv *Server) handleExportCSV(w http.ResponseWriter, r *http.Request, s *Session) {
	if !srv.overOrTeacher(w, r, s) {
		return
	}
	var b bytes.Buffer
	if err := WriteOutcomesCSV(&b, s.Outcomes()); err != nil {
		writeErr(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="classroom-`+s.Code+`.csv"`)
	w.Write(b.Bytes())
}

func (srv *Server) handleExportParquet(w http.ResponseWriter, r *http.Request, s *Session) {
	if !srv.overOrTeacher(w, r, s) {
		return
	}
	var b bytes.Buffer
	if err := WriteOutcomesParquet(&b, s.Outcomes()); err != nil {
		writeErr(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.apache.parquet")
	w.Header().Set("Content-Disposition", `attachment; filename="classroom-`+s.Code+`.parquet"`)
	w.Write(b.Bytes())
}
