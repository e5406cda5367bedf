// A reporting endpoint exports a customer's orders as CSV. exportCSV builds the file with
// `out += line`: every += copies everything written so far into a new string, so a 10,000-row
// export copies about 10,000²/2 lines' worth of bytes. The program runs exports for a fixed
// time with the CPU profiler on.
package main

import (
	"fmt"
	"os"
	"runtime/pprof"
	"strconv"
	"time"
)

type order struct {
	id       int
	sku      string
	qty      int
	cents    int
	customer string
}

func exportCSV(orders []order) string {
	out := "id,sku,qty,cents,customer\n"
	for _, o := range orders {
		out += strconv.Itoa(o.id) + "," + o.sku + "," + strconv.Itoa(o.qty) + "," +
			strconv.Itoa(o.cents) + "," + o.customer + "\n"
	}
	return out
}

func main() {
	orders := make([]order, 10000)
	for i := range orders {
		orders[i] = order{i, fmt.Sprintf("SKU-%05d", i%977), 1 + i%5, 199 + i%3000, "c-1042"}
	}
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	pprof.StartCPUProfile(f)
	exports, size := 0, 0
	for start := time.Now(); time.Since(start) < 2*time.Second; exports++ {
		size = len(exportCSV(orders))
	}
	pprof.StopCPUProfile()
	f.Close()
	fmt.Fprintf(os.Stderr, "%d exports of %d bytes\n", exports, size)
}
