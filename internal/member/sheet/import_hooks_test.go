package sheet

// SetAfterBatch lets a test act between an import's committed batches.
func SetAfterBatch(s *Store, f func(committed int)) { s.afterBatch = f }
