//go:build !unix

package store

// processAlive cannot be asked here: the note is trusted.
func processAlive(pid int) bool { return true }
