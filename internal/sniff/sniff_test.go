package sniff_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"testing"

	"github.com/xuri/excelize/v2"

	"followup/internal/followup"
	"followup/internal/sniff"
	"followup/internal/sniff/sniffdata"
)

func TestDetect(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.RGBA{200, 10, 10, 255})
	var pngBuf, jpgBuf bytes.Buffer
	if err := png.Encode(&pngBuf, img); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&jpgBuf, img, nil); err != nil {
		t.Fatal(err)
	}
	xl := excelize.NewFile()
	_ = xl.SetCellValue("Sheet1", "A1", "Statistics 2024")
	var xlsx bytes.Buffer
	if err := xl.Write(&xlsx); err != nil {
		t.Fatal(err)
	}
	exe, err := os.ReadFile("/proc/self/exe")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		data []byte
		want string // the type, or the error code
	}{
		{"pdf", sniffdata.PDF(), followup.TypePDF},
		{"png", pngBuf.Bytes(), followup.TypePNG},
		{"jpeg", jpgBuf.Bytes(), followup.TypeJPEG},
		{"utf-8 text", []byte("Rapport annuel : 12 enquêtes ouvertes.\n"), followup.TypeText},
		{"utf-8 text with a BOM", append([]byte("\xef\xbb\xbf"), "Annual report\n"...), followup.TypeText},
		{"csv is plain text", []byte("year,cases\n2023,12\n2024,15\n"), followup.TypeText},
		{"long text with a rune across reads", bytes.Repeat([]byte("é"), 100_000), followup.TypeText},
		{"docx", sniffdata.DOCX(), followup.TypeDOCX},
		{"xlsx made by excelize", xlsx.Bytes(), followup.TypeXLSX},
		{"odt", sniffdata.ODF(followup.TypeODT), followup.TypeODT},
		{"ods", sniffdata.ODF(followup.TypeODS), followup.TypeODS},

		{"html page", sniffdata.HTML(), followup.EUnsupportedMedia},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), followup.EUnsupportedMedia},
		{"executable", exe[:min(len(exe), 64<<10)], followup.EUnsupportedMedia},
		{"latin-1 text", []byte("Rapport annuel : 12 enqu\xeates\n"), followup.EUnsupportedMedia},
		{"text with a NUL byte", []byte("abc\x00def ghi jkl"), followup.EUnsupportedMedia},
		{"plain zip", sniffdata.Zip(map[string]string{"a.txt": "hello"}), followup.EUnsupportedMedia},
		{"macro-enabled word document", sniffdata.DOCM(), followup.EUnsupportedMedia},
		{"odp presentation", sniffdata.ODF("application/vnd.oasis.opendocument.presentation"), followup.EUnsupportedMedia},
		{"zip bomb-ish docx", sniffdata.ZipBombDOCX(64 << 20), followup.ETooLarge},
		{"docx whose content types part expands beyond bounds", sniffdata.HugeContentTypesDOCX(), followup.ETooLarge},
		{"truncated zip", sniffdata.DOCX()[:200], followup.EUnsupportedMedia},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := sniff.Detector{}.Detect(bytes.NewReader(c.data), int64(len(c.data)))
			if err != nil {
				if code := followup.ErrorCode(err); code != c.want {
					t.Fatalf("error %q (%v), want %s", code, err, c.want)
				}
				if followup.ErrorField(err) != "files" {
					t.Errorf("error names field %q, want files", followup.ErrorField(err))
				}
				return
			}
			if got != c.want {
				t.Fatalf("type %q, want %s", got, c.want)
			}
		})
	}
}
