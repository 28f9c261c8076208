// Package sniff tells what an uploaded file is from its content, for the evidence a submission
// carries: followup.ContentDetector. The first bytes are matched by
// github.com/gabriel-vasile/mimetype (signatures of PDF, PNG, JPEG, HTML, executables, zip and
// the text encodings); a zip is then opened, within bounds, to tell a DOCX or XLSX from an
// ODT, an ODS or anything else packed in a zip, since those differ only inside the archive.
package sniff

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/gabriel-vasile/mimetype"

	"followup/internal/followup"
)

// Bounds of what is read inside a zip when telling its type. An office document is a zip of
// XML parts; a "zip bomb" is a small file that expands enormously. Only the part that names
// the document's type is ever decompressed, at most maxPartBytes of it, but the whole archive's
// declared expansion is checked too, since whoever opens the file later will expand it all.
const (
	maxEntries        = 10000
	maxPartBytes      = 1 << 20   // [Content_Types].xml or the ODF mimetype entry
	maxExpandedBytes  = 256 << 20 // the declared size of every entry, added up
	maxRatio          = 200       // declared size / compressed size of one entry ...
	ratioCheckedAbove = 1 << 20   // ... larger than 1 MiB expanded
	headBytes         = 3072      // what mimetype reads by default
)

// Detector is the content check of uploads.
type Detector struct{}

var _ followup.ContentDetector = Detector{}

func refused(format string, args ...any) error {
	return &followup.Error{Code: followup.EUnsupportedMedia, Field: "files", Message: fmt.Sprintf(format, args...)}
}

// Detect returns the accepted type of the content of r (size bytes), or an
// EUnsupportedMedia error that says what the content is and why it is refused.
func (Detector) Detect(r io.ReaderAt, size int64) (string, error) {
	head := make([]byte, min(size, headBytes))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	m := mimetype.Detect(head)
	switch {
	case m.Is("application/pdf"):
		return followup.TypePDF, nil
	case m.Is("image/png"):
		return followup.TypePNG, nil
	case m.Is("image/jpeg"):
		return followup.TypeJPEG, nil
	case isZip(m):
		return detectZip(r, size)
	case m.Is("text/plain"), m.Is("text/csv"), m.Is("text/tab-separated-values"):
		return detectText(r, size)
	}
	return "", refused("the content is %s (%s), which is not accepted: send %s", describe(m), m.String(), followup.EvidenceTypeNames())
}

// describe names what mimetype found in words.
func describe(m *mimetype.MIME) string {
	switch {
	case m.Is("text/html"):
		return "an HTML page"
	case m.Is("image/svg+xml"):
		return "an SVG image, which can carry scripts"
	case m.Is("application/x-elf"), m.Is("application/x-executable"), m.Is("application/vnd.microsoft.portable-executable"),
		m.Is("application/x-mach-binary"), m.Is("application/x-msdownload"):
		return "a program"
	case m.Is("application/octet-stream"):
		return "not a known document format"
	}
	return "a file of another type"
}

func isZip(m *mimetype.MIME) bool {
	for ; m != nil; m = m.Parent() {
		if m.Is("application/zip") {
			return true
		}
	}
	return false
}

// detectText accepts plain text in UTF-8 (with or without a byte-order mark) without NUL
// bytes, read whole in small pieces.
func detectText(r io.ReaderAt, size int64) (string, error) {
	rd := io.NewSectionReader(r, 0, size)
	buf := make([]byte, 64<<10)
	var carry []byte
	var offset int64
	for {
		n, err := rd.Read(buf)
		chunk := append(carry, buf[:n]...)
		carry = nil
		// Keep an incomplete rune at the end for the next round.
		if err == nil {
			for k := 1; k <= 3 && k <= len(chunk); k++ {
				if utf8.RuneStart(chunk[len(chunk)-k]) {
					if !utf8.FullRune(chunk[len(chunk)-k:]) {
						carry = append([]byte(nil), chunk[len(chunk)-k:]...)
						chunk = chunk[:len(chunk)-k]
					}
					break
				}
			}
		}
		if i := bytes.IndexByte(chunk, 0); i >= 0 {
			return "", refused("the content is binary (a NUL byte at byte %d), not plain text", offset+int64(i))
		}
		if !utf8.Valid(chunk) {
			return "", refused("the text is not UTF-8: save it as UTF-8, or send it as PDF")
		}
		offset += int64(len(chunk))
		if errors.Is(err, io.EOF) {
			if len(carry) > 0 {
				return "", refused("the text is not UTF-8: it ends in the middle of a character")
			}
			return followup.TypeText, nil
		}
		if err != nil {
			return "", err
		}
	}
}

// detectZip opens a zip and tells an OOXML document (DOCX, XLSX) by its [Content_Types].xml,
// an OpenDocument (ODT, ODS) by its mimetype entry. Documents with macros are refused.
func detectZip(r io.ReaderAt, size int64) (string, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return "", refused("the content starts as a zip archive but cannot be read as one (%v)", err)
	}
	if len(zr.File) > maxEntries {
		return "", refused("the archive has %d entries, more than an office document has (%d)", len(zr.File), maxEntries)
	}
	var expanded uint64
	byName := map[string]*zip.File{}
	for _, f := range zr.File {
		expanded += f.UncompressedSize64
		if f.UncompressedSize64 > ratioCheckedAbove && (f.CompressedSize64 == 0 || f.UncompressedSize64/f.CompressedSize64 > maxRatio) {
			return "", &followup.Error{Code: followup.ETooLarge, Field: "files",
				Message: fmt.Sprintf("the archive's entry %q would expand %d times (to %d MiB): this looks like a zip bomb", f.Name, f.UncompressedSize64/max(f.CompressedSize64, 1), f.UncompressedSize64>>20)}
		}
		byName[f.Name] = f
	}
	if expanded > maxExpandedBytes {
		return "", &followup.Error{Code: followup.ETooLarge, Field: "files",
			Message: fmt.Sprintf("the archive would expand to %d MiB, more than %d MiB: this looks like a zip bomb", expanded>>20, maxExpandedBytes>>20)}
	}
	for name := range byName {
		lower := strings.ToLower(name)
		if strings.HasSuffix(lower, "vbaproject.bin") || strings.HasPrefix(lower, "basic/") || strings.HasPrefix(lower, "scripts/") {
			return "", refused("the document carries macros (%s): save it without macros, or as PDF", name)
		}
	}
	if f := byName["[Content_Types].xml"]; f != nil {
		return detectOOXML(f)
	}
	if f := byName["mimetype"]; f != nil {
		return detectODF(f)
	}
	return "", refused("the content is a zip archive, not an office document: send %s", followup.EvidenceTypeNames())
}

// readPart reads an entry of at most maxPartBytes expanded, whatever its header says.
func readPart(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, refused("the archive's entry %q cannot be read (%v)", f.Name, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxPartBytes+1))
	if err != nil {
		return nil, refused("the archive's entry %q cannot be read (%v)", f.Name, err)
	}
	if len(data) > maxPartBytes {
		return nil, &followup.Error{Code: followup.ETooLarge, Field: "files",
			Message: fmt.Sprintf("the archive's entry %q expands beyond %d KiB, which no office document needs", f.Name, maxPartBytes>>10)}
	}
	return data, nil
}

// The main parts of the accepted OOXML documents, and of their macro-enabled forms (refused).
var ooxmlMain = map[string]string{
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": followup.TypeDOCX,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml":       followup.TypeXLSX,
}

var ooxmlMacro = []string{"application/vnd.ms-word.document.macroenabled.main+xml", "application/vnd.ms-excel.sheet.macroenabled.main+xml"}

func detectOOXML(f *zip.File) (string, error) {
	data, err := readPart(f)
	if err != nil {
		return "", err
	}
	var types struct {
		Overrides []struct {
			PartName    string `xml:"PartName,attr"`
			ContentType string `xml:"ContentType,attr"`
		} `xml:"Override"`
	}
	if err := xml.Unmarshal(data, &types); err != nil {
		return "", refused("the archive's [Content_Types].xml is not valid XML (%v)", err)
	}
	for _, o := range types.Overrides {
		ct := strings.ToLower(strings.TrimSpace(o.ContentType))
		if t, ok := ooxmlMain[ct]; ok {
			return t, nil
		}
		for _, m := range ooxmlMacro {
			if ct == m {
				return "", refused("the document is macro-enabled (%s): save it without macros, or as PDF", o.ContentType)
			}
		}
	}
	return "", refused("the content is an Office Open XML package but neither a Word document (DOCX) nor an Excel workbook (XLSX): send %s", followup.EvidenceTypeNames())
}

func detectODF(f *zip.File) (string, error) {
	data, err := readPart(f)
	if err != nil {
		return "", err
	}
	switch strings.TrimSpace(string(data)) {
	case followup.TypeODT:
		return followup.TypeODT, nil
	case followup.TypeODS:
		return followup.TypeODS, nil
	}
	return "", refused("the content is an OpenDocument of type %q, neither a text (ODT) nor a spreadsheet (ODS)", truncate(string(data), 80))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
