package manifest_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/kubevet/kubevet/internal/corpus"
	"github.com/kubevet/kubevet/internal/manifest"
)

// BenchmarkStages splits the loader's cost into its stages on one corpus,
// against yaml.v3 decoding the stream into nodes:
//
//	GOMAXPROCS=1 go test ./internal/manifest -run '^$' -bench Stages -benchmem
func BenchmarkStages(b *testing.B) {
	var buf bytes.Buffer
	if err := corpus.Write(&buf, 5000); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.Run("yaml-decoder", func(b *testing.B) {
		for range b.N {
			dec := yaml.NewDecoder(bytes.NewReader(data))
			for {
				var n yaml.Node
				if err := dec.Decode(&n); errors.Is(err, io.EOF) {
					break
				}
			}
		}
	})
	var chunks []manifest.Chunk
	s := manifest.NewSplitter(bytes.NewReader(data))
	for {
		c, err := s.Next()
		if err != nil {
			break
		}
		chunks = append(chunks, c)
	}
	b.Run("split", func(b *testing.B) {
		for range b.N {
			s := manifest.NewSplitter(bytes.NewReader(data))
			for {
				if _, err := s.Next(); err != nil {
					break
				}
			}
		}
	})
	b.Run("parse-chunks", func(b *testing.B) {
		for range b.N {
			for _, c := range chunks {
				var n yaml.Node
				if err := yaml.Unmarshal(c.Data, &n); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("decode", func(b *testing.B) {
		for range b.N {
			for _, c := range chunks {
				manifest.Decode("x", c, manifest.Options{})
			}
		}
	})
}
