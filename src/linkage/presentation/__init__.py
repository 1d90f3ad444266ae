"""What readers see: views (findings as sentences), charts, the house style, reports."""
