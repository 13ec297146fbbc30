/* tui/wizard.h - what the setup wizard (screen_wizard.c) is opened with:
 * ui_push(ui, &screen_wizard, &args). The strings are borrowed for the
 * push; the wizard copies what it keeps. No curses here. */
#ifndef IRSA_WIZARD_H
#define IRSA_WIZARD_H

struct wizard_args {
	const char *context; /* the kubeconfig context; NULL: reached by cluster and region */
	const char *cluster; /* the EKS cluster's name */
	const char *region;  /* its region */
	const char *ns;      /* the namespace */
	const char *sa;      /* the service account; NULL: a new one */
};

#endif
