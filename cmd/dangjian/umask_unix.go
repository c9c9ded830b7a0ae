//go:build unix

package main

import "syscall"

// privateFiles makes every file the process creates readable by its own account only (0600,
// directories 0700): the SQLite file and its -wal/-shm, uploads and import error workbooks
// hold personal data.
func privateFiles() { syscall.Umask(0o077) }
