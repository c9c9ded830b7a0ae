package secreport

import "dangjian/internal/tree"

// Part registers the reports' organization paths (a move rewrites them); 述职评议 keeps no
// subtree counts of its own (its problems are counted by rectify's part).
func Part() tree.Part {
	return tree.Part{Name: "secreport", Paths: []tree.PathColumn{{Table: "secreport_reports", Column: "org_path"}}}
}
