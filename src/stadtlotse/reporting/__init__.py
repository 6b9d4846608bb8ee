"""Status reports, dashboards, charts, open data, feeds, search and the cross-municipal comparison."""
