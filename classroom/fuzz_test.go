package classroom

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReadLog: any bytes as a session log are read, or refused with an
// error naming the file and line, and a server started on them either
// rebuilds the session or refuses to start; nothing panics.
func FuzzReadLog(f *testing.F) {
	f.Add([]byte(`{"kind":"create","id":"x","code":"ABCDEF","config":{"scenario":"taxi-war-2014","users":1000,"seed":1,"round_days":2,"rounds":1,"levers":["cashback"]}}` + "\n"))
	f.Add([]byte(`{"kind":"create","id":"x","code":"ABCDEF","config":{"scenario":"taxi-war-2014","users":1000,"seed":1,"round_days":2,"rounds":2,"levers":["cashback"]}}` + "\n" +
		`{"kind":"join","seat":"aa","name":"A","team":1}` + "\n" + `{"kind":"start"}` + "\n" +
		`{"kind":"decide","seat":"aa","team":1,"round":0,"decision":{"cashback":3}}` + "\n" + `{"kind":"advance","round":0}` + "\n"))
	f.Add([]byte(`{"kind":"advance","round":0}` + "\n"))
	f.Add([]byte("{\"kind\":\"cre"))
	f.Add([]byte("\n\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		require := func(err error) {
			if err != nil {
				t.Fatal(err)
			}
		}
		require(os.MkdirAll(filepath.Join(dir, "sessions"), 0o700))
		path := filepath.Join(dir, "sessions", "s.jsonl")
		require(os.WriteFile(path, b, 0o600))
		if _, _, err := ReadLog(path); err != nil && !strings.Contains(err.Error(), path) {
			t.Fatalf("error without the file name: %v", err)
		}
		srv, err := NewServer(dir)
		if err == nil {
			srv.Logf = nil
			srv.Close()
		}
	})
}

// FuzzDecideBody: any body posted as a decision is answered with 200 or a
// 4xx and a message; the server never fails or panics on it.
func FuzzDecideBody(f *testing.F) {
	f.Add(`{"round":0,"decision":{"cashback":3}}`)
	f.Add(`{"round":0,"decision":{"cashback":-1e308}}`)
	f.Add(`{"round":-1,"decision":{"fee_rate":0.5}}`)
	f.Add(`{"round":0,"decision":{"cashback":"3"}}`)
	f.Add(`{"round":0,"decision":null}`)
	f.Add(`[]`)
	fx := newFuzzFixture(f)
	f.Fuzz(func(t *testing.T, body string) {
		status, msg := fx.raw(t, "POST", "/api/sessions/"+fx.code+"/decide", fx.a, body)
		if status != http.StatusOK && (status < 400 || status > 499 || msg == "") {
			t.Fatalf("status %d %q for %q", status, msg, body)
		}
	})
}

// newFuzzFixture is newAPIFixture for a fuzz target, started.
func newFuzzFixture(f *testing.F) *apiFixture {
	f.Helper()
	fx := newAPIFixtureTB(f)
	if err := fx.cl.post(fx.srv.TeacherToken(), "/api/sessions/"+fx.code+"/start", struct{}{}); err != nil {
		f.Fatal(err)
	}
	return fx
}
