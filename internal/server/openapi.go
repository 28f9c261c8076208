package server

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// openAPISpec describes the API; a test keeps its paths equal to the router's.
//
//go:embed openapi.json
var openAPISpec []byte

func (s *Server) openAPI(c *gin.Context) error {
	c.Data(http.StatusOK, "application/json", openAPISpec)
	return nil
}
