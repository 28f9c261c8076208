package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"followup/internal/followup"
)

// FuzzDecodeJSON feeds any body to decodeJSON for every request type of the API: it never
// panics; it either fills the value or fails with bad_request or too_large; and what it accepts
// is one JSON object in UTF-8 without unknown fields, so re-encoding and decoding it again gives the
// same value. The seed corpus is in testdata/fuzz; run longer with
// go test -run '^$' -fuzz FuzzDecodeJSON -fuzztime 2m ./internal/server
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		`{"text":"measures","submitted_on":"2024-11-02","draft":false}`,
		`{"status":"implemented","comment":"ok","assessed_on":"2024-11-20"}`,
		`{"slug":"r","title":"T","kind":"other","adopted_on":"2024-01-01","parties":["FR","de"]}`,
		`{"label":"R1","category":"urge","text":"x","articles":["23"],"addressed_to":[]}`,
		`{"adopted_on":"2024-12-05","labels":["R1"]}`,
		`{"text":null,"draft":null}`, `{}`, ``, `   `, `[]`, `null`, `{"text":"a"} {"text":"b"}`, `{"text":1}`,
		`{"unknown":1}`, `{"text":"\ud800"}`, `{"parties":"FR"}`, `{"text":"a"`, "\xef\xbb\xbf{}",
		`{"text":"a","Text":"b"}`, `"x"`, `3`, `{"text":"\udc00\ud800"}`, `{"text":"\ud83d\ude00"}`, "{\"text\":\"\xff\"}",
	} {
		f.Add([]byte(s), uint8(0))
	}
	gin.SetMode(gin.ReleaseMode)
	f.Fuzz(func(t *testing.T, body []byte, which uint8) {
		targets := []func() any{
			func() any { return &submissionRequest{} }, func() any { return &submissionPatchRequest{} },
			func() any { return &assessmentRequest{} }, func() any { return &adoptRequest{} },
			func() any { return &partyRequest{} }, func() any { return &reportRequest{} },
			func() any { return &reportPatchRequest{} }, func() any { return &recommendationRequest{} },
			func() any { return &recommendationPatchRequest{} },
		}
		newDst := targets[int(which)%len(targets)]
		dst := newDst()
		w := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(w)
		c.Request = httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		err := decodeJSON(c, dst, which%2 == 0)
		if err != nil {
			var fe *followup.Error
			if !errors.As(err, &fe) || (fe.Code != followup.EBadRequest && fe.Code != followup.ETooLarge) {
				t.Fatalf("decodeJSON(%q): %v is not a bad_request or too_large error", body, err)
			}
			return
		}
		if !utf8.Valid(body) {
			t.Fatalf("decodeJSON accepted %q, which is not UTF-8", body)
		}
		again, err := json.Marshal(dst)
		if err != nil {
			t.Fatalf("re-encoding %#v: %v", dst, err)
		}
		dst2 := newDst()
		c2, _ := gin.CreateTestContext(httptest.NewRecorder())
		c2.Request = httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(again))
		if err := decodeJSON(c2, dst2, true); err != nil {
			t.Fatalf("%q was accepted but its re-encoding %s is not: %v", body, again, err)
		}
		if third, _ := json.Marshal(dst2); !bytes.Equal(third, again) {
			t.Fatalf("%q: decoding is not stable: %s then %s", body, again, third)
		}
	})
}
