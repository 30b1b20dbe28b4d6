//go:build !unix

package serve

import (
	"io/fs"
	"os"
)

func openNoBlock(path string) (*os.File, error) { return os.Open(path) }

// checkOwnerAndMode: Windows keeps who may read and change a file in its
// access list, which the server does not inspect; keep the users file in
// a folder only administrators and the server's account can reach.
func checkOwnerAndMode(path string, fi fs.FileInfo) error { return nil }
