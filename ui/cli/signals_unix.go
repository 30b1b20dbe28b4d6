//go:build unix

package cli

import (
	"os"
	"syscall"
)

// serveSignals: SIGHUP reloads the users file, SIGTERM and ctrl+c stop.
var (
	reloadSignals = []os.Signal{syscall.SIGHUP}
	stopSignals   = []os.Signal{syscall.SIGTERM, os.Interrupt}
)
