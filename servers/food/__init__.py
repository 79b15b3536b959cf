"""Food delivery (Ele.me-like): find restaurants, read menus, fill a cart, order with
confirmation, track the rider, cancel with the right refund."""
