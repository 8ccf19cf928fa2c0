//go:build js

package main

import (
	"net/url"
	"strings"
	"syscall/js"
	"time"
)

// programArgs turns the page's query string into arguments, so that
// index.html?scenario=default&set=world.users=20000&speed=6 works like
// hongbao-viz -set world.users=20000 -speed 6 default, and ?guided like
// -guided.
func programArgs() []string {
	search := js.Global().Get("location").Get("search").String() // "?a=b&…" or ""
	q, err := url.ParseQuery(strings.TrimPrefix(search, "?"))
	if err != nil {
		return nil
	}
	var args []string
	for _, s := range q["set"] {
		args = append(args, "-set", s)
	}
	for _, k := range []string{"users", "speed"} {
		if v := q.Get(k); v != "" {
			args = append(args, "-"+k, v)
		}
	}
	for _, k := range []string{"paused", "presentation", "guided"} {
		if q.Has(k) {
			args = append(args, "-"+k)
		}
	}
	if v := q.Get("scenario"); v != "" {
		args = append(args, v)
	}
	return args
}

// stepYield is the pause after each simulated day in the browser, where
// Go shares one thread with the page: 4 ms lets a frame be drawn.
const stepYield = 4 * time.Millisecond
