"""The annual report to member states (issue 17): web page, PDF, Word and a CSV/XLSX annex."""
