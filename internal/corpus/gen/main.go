// Command gen writes a benchmark corpus:
//
//	go run ./internal/corpus/gen -n 100000 -stream corpus.yaml -files corpus/
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"github.com/kubevet/kubevet/internal/corpus"
)

func main() {
	n := flag.Int("n", 10000, "number of objects")
	stream := flag.String("stream", "", "write one multi-document file here")
	files := flag.String("files", "", "write one file per application into this folder")
	flag.Parse()
	if *stream == "" && *files == "" {
		fmt.Fprintln(os.Stderr, "gen: give -stream FILE and/or -files DIR")
		os.Exit(2)
	}
	if *stream != "" {
		f, err := os.Create(*stream)
		if err == nil {
			w := bufio.NewWriter(f)
			err = corpus.Write(w, *n)
			if err == nil {
				err = w.Flush()
			}
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
	if *files != "" {
		if err := corpus.WriteFiles(*files, *n); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
}
