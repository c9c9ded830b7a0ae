package member

import "dangjian/internal/platform/httpx"

// ImportRoutes are the import and export endpoints.
func (s *Store) ImportRoutes() []httpx.Route { return nil }
