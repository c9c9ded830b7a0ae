//go:build !unix

package main

// privateFiles: no umask outside Unix; the data directory's permissions are the operator's.
func privateFiles() {}
