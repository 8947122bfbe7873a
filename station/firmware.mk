# Firmware management and diagnostics (issue 7)
