package gias

import (
	"io"
	"unicode/utf8"
)

// cp1252High maps the bytes 0x80-0x9F of Windows-1252 to their characters:
// the typographic quotes, dashes and the euro sign that names typed in
// office software carry. Latin-1 has control codes there; from 0xA0 up the
// two agree with Unicode itself. The five bytes Windows-1252 leaves
// undefined read as U+FFFD, which the reader reports where a cell holds it.
var cp1252High = [32]rune{
	0x20AC, utf8.RuneError, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, // 80-87
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, utf8.RuneError, 0x017D, utf8.RuneError, // 88-8F
	utf8.RuneError, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, // 90-97
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, utf8.RuneError, 0x017E, 0x0178, // 98-9F
}

// decodeByte is the character a Windows-1252 byte stands for.
func decodeByte(b byte) rune {
	if b >= 0x80 && b <= 0x9F {
		return cp1252High[b-0x80]
	}
	return rune(b)
}

// cp1252Reader turns a Windows-1252 stream into UTF-8 as it is read: each
// byte becomes one character, so line numbers stay those of the file.
type cp1252Reader struct {
	r   io.Reader
	buf []byte
}

func newCP1252Reader(r io.Reader) *cp1252Reader { return &cp1252Reader{r: r} }

// Read fills p with UTF-8; a byte takes at most 3 bytes of it, so at most
// len(p)/3 bytes are read from the file at a time.
func (c *cp1252Reader) Read(p []byte) (int, error) {
	want := len(p) / utf8.UTFMax
	if want == 0 {
		want = 1
		if len(p) < utf8.UTFMax {
			// Too small for any character: read through a larger buffer.
			var tmp [utf8.UTFMax]byte
			n, err := c.Read(tmp[:])
			if n > len(p) {
				panic("gias: Read called with a buffer shorter than one character")
			}
			return copy(p, tmp[:n]), err
		}
	}
	if cap(c.buf) < want {
		c.buf = make([]byte, want)
	}
	in := c.buf[:want]
	n, err := c.r.Read(in)
	out := 0
	for _, b := range in[:n] {
		if b < utf8.RuneSelf {
			p[out] = b
			out++
			continue
		}
		out += utf8.EncodeRune(p[out:], decodeByte(b))
	}
	return out, err
}
