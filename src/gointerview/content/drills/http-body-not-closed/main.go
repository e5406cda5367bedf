// A checkout service asks the pricing service for each SKU's price. When pricing answers
// anything but 200 (404 for an unknown SKU), priceOf returns an error without closing the
// response body, so the connection can never go back to the pool: its two transport
// goroutines (readLoop, writeLoop) and its socket stay until the process dies.
//
// Run as `prog -serve ADDRFILE` (the pricing service, a separate process) and as
// `prog -client URL`; the client writes its goroutine profile after two batches of lookups.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"strings"
	"time"
)

type pricing struct {
	client *http.Client
	base   string
}

func (p *pricing) priceOf(sku string) (int, error) {
	resp, err := p.client.Get(p.base + "/price?sku=" + sku)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("pricing %s: %s", sku, resp.Status)
	}
	defer resp.Body.Close()
	var body struct{ Cents int }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return 0, err
	}
	return body.Cents, nil
}

func serve(addrFile string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	if err := os.WriteFile(addrFile, []byte(ln.Addr().String()), 0o600); err != nil {
		return err
	}
	return http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sku := r.URL.Query().Get("sku")
		if strings.HasPrefix(sku, "gone-") {
			http.Error(w, "unknown sku", http.StatusNotFound)
			return
		}
		json.NewEncoder(w).Encode(map[string]int{"Cents": 1999})
	}))
}

func client(base string) error {
	p := &pricing{client: http.DefaultClient, base: base}
	for round := range 2 {
		if round > 0 {
			fmt.Println("\n# the same command, 200 checkouts later:")
		}
		for i := range 200 {
			sku := fmt.Sprintf("sku-%d", i)
			if i%4 == 0 { // one checkout in four holds an item that was delisted
				sku = "gone-" + sku
			}
			p.priceOf(sku) // the caller logs the error and shows "unavailable"
		}
		time.Sleep(100 * time.Millisecond)
		pprof.Lookup("goroutine").WriteTo(os.Stdout, 1)
	}
	return nil
}

func main() {
	serveFlag := flag.String("serve", "", "run the pricing service, writing its address to this file")
	clientFlag := flag.String("client", "", "run the checkout client against this base URL")
	flag.Parse()
	var err error
	switch {
	case *serveFlag != "":
		err = serve(*serveFlag)
	case *clientFlag != "":
		err = client(*clientFlag)
	default:
		err = errors.New("need -serve or -client")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
