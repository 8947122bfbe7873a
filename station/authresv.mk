# Local authorization list and reservations (issue 7)
