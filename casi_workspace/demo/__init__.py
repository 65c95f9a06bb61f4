"""The demo network (modelled on CASI-Bretagne) and the scale seeding: an app of its own, `casi_workspace.demo`."""
