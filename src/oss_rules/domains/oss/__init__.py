"""The OSS domain of the source article: workplaces, hazards, modules, actions, findings,
the compliance calendar and registration submissions."""
