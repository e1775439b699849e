"""PDF and XLSX renderers: take plain results, return bytes or write a file."""
