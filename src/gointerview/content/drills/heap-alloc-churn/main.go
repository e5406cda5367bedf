// An order-events consumer reads each message body in full with io.ReadAll and decodes it
// into a map[string]any just to read two fields. Nothing is kept: memory in use stays small,
// but every message allocates its whole body (several times, as ReadAll's buffer grows) and a
// map per JSON object, so the service allocates gigabytes a minute and the GC runs constantly.
// The program consumes a fixed batch of messages, then writes the heap profile.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
)

type message struct{ body io.Reader }

type consumer struct {
	totals map[string]float64 // per customer: the only state the consumer keeps
}

func (c *consumer) handle(m message) error {
	body, err := io.ReadAll(m.body)
	if err != nil {
		return err
	}
	var event map[string]any
	if err := json.Unmarshal(body, &event); err != nil {
		return err
	}
	customer, _ := event["customer"].(string)
	amount, _ := event["amount"].(float64)
	c.totals[customer] += amount
	return nil
}

// payload: an order event of about 40 KiB (a few hundred line items), the same on every run.
func payload(i int) []byte {
	var items []string
	for j := range 300 {
		items = append(items, fmt.Sprintf(`{"sku":"SKU-%05d","qty":%d,"cents":%d,"note":"gift wrap, leave at the door"}`, (i*7+j)%99991, 1+j%4, 199+j))
	}
	return fmt.Appendf(nil, `{"customer":"c-%d","amount":%d.5,"items":[%s]}`, i%50, 10+i%90, strings.Join(items, ","))
}

func main() {
	c := &consumer{totals: map[string]float64{}}
	bodies := make([][]byte, 64)
	for i := range bodies {
		bodies[i] = payload(i)
	}
	for i := range 3000 {
		if err := c.handle(message{body: bytes.NewReader(bodies[i%len(bodies)])}); err != nil {
			panic(err)
		}
	}
	runtime.GC() // the heap profile reports as of the last completed GC
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	pprof.WriteHeapProfile(f)
	f.Close()
}
