/* tests/unit/test_presets.c - the add-on presets: every add-on the wizard
 * offers is there with its chart's namespace and service account (valid
 * names); the AWS managed policies by their exact ARNs (as the real managed
 * policy list spells them); the add-ons without one carry a customer managed
 * template that renders to a valid IAM policy in every partition, under
 * IAM's size limit, with no partition written in; and the placeholder
 * filling refuses unknown or missing values. */
#include "config.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "error.h"
#include "names.h"
#include "presets.h"

#define MANAGED_POLICY_SIZE_MAX 6144 /* IAM: characters of a managed policy, white space not counted */

static const struct presets_vars aws_vars = {"aws", "us-east-1", "111122223333", "shop-prod"};

/* The add-ons the issue names, each with what its chart uses. */
static void
test_every_addon(void **state)
{
	static const struct {
		const char *id, *ns, *sa;
	} want[] = {
	        {"aws-load-balancer-controller", "kube-system", "aws-load-balancer-controller"},
	        {"ebs-csi", "kube-system", "ebs-csi-controller-sa"},
	        {"efs-csi", "kube-system", "efs-csi-controller-sa"},
	        {"external-dns", "external-dns", "external-dns"},
	        {"cert-manager", "cert-manager", "cert-manager"},
	        {"external-secrets", "external-secrets", "external-secrets"},
	        {"cluster-autoscaler", "kube-system", "cluster-autoscaler"},
	        {"vpc-cni", "kube-system", "aws-node"},
	        {"cloudwatch-observability", "amazon-cloudwatch", "cloudwatch-agent"},
	};
	size_t n;
	const struct preset *all = presets_all(&n);

	(void)state;
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n; i++) {
		const struct preset *p = presets_find(want[i].id);

		assert_non_null(p);
		assert_ptr_equal(p, &all[i]); /* in display order */
		assert_string_equal(p->ns, want[i].ns);
		assert_string_equal(p->sa, want[i].sa);
		assert_int_equal(names_check_namespace(p->ns, NULL), 0);
		assert_int_equal(names_check_serviceaccount(p->sa, NULL), 0);
		assert_true(strlen(p->title) > 0);
		assert_true(strlen(p->grants) > 10 && p->grants[strlen(p->grants) - 1] == '.');
		assert_non_null(strstr(p->source, "https://"));
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(all[k].id, p->id);
	}
}

/* The exact ARNs, as `aws iam list-policies --scope AWS` lists them. */
static void
test_managed_arns(void **state)
{
	static const struct {
		const char *id;
		const char *arn;
	} want[] = {
	        {"ebs-csi", "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"},
	        {"efs-csi", "arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy"},
	        {"vpc-cni", "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"},
	        {"cloudwatch-observability", "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct preset *p = presets_find(want[i].id);
		struct irsa_error err;
		char *arn;

		assert_non_null(p);
		assert_non_null(p->managed[0]);
		assert_null(p->managed[1]);
		arn = presets_render(p->managed[0], &aws_vars, &err);
		assert_non_null(arn);
		assert_string_equal(arn, want[i].arn);
		assert_int_equal(names_check_policy_arn(arn, "arn:aws:", NULL), 0);
		free(arn);
		assert_null(p->policy_document);
	}
}

/* Counts what IAM counts: the characters that are not white space. */
static size_t
policy_size(const char *doc)
{
	size_t n = 0;

	for (; *doc != '\0'; doc++)
		n += !isspace((unsigned char)*doc);
	return n;
}

static void
check_document(const char *id, const char *doc)
{
	struct json_object *o = json_tokener_parse(doc), *v, *st;

	if (o == NULL)
		fail_msg("%s: the rendered template is not JSON:\n%s", id, doc);
	assert_true(json_object_object_get_ex(o, "Version", &v));
	assert_string_equal(json_object_get_string(v), "2012-10-17");
	assert_true(json_object_object_get_ex(o, "Statement", &st));
	assert_true(json_object_is_type(st, json_type_array));
	assert_true(json_object_array_length(st) > 0);
	for (size_t i = 0; i < json_object_array_length(st); i++) {
		struct json_object *s = json_object_array_get_idx(st, i);

		assert_true(json_object_object_get_ex(s, "Effect", &v));
		assert_string_equal(json_object_get_string(v), "Allow");
		assert_true(json_object_object_get_ex(s, "Action", &v));
		assert_true(json_object_object_get_ex(s, "Resource", &v));
	}
	json_object_put(o);
	assert_true(policy_size(doc) <= MANAGED_POLICY_SIZE_MAX);
}

/* Add-ons without an AWS managed policy carry a template. */
static void
test_customer_managed(void **state)
{
	static const char *const ids[] = {"aws-load-balancer-controller", "external-dns", "cert-manager",
	                                  "external-secrets", "cluster-autoscaler"};
	static const char *const partitions[] = {"aws", "aws-cn", "aws-us-gov"};

	(void)state;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		const struct preset *p = presets_find(ids[i]);

		assert_non_null(p);
		assert_null(p->managed[0]);
		assert_non_null(p->policy_name);
		assert_true(strlen(p->policy_name) <= NAMES_POLICY_NAME_MAX);
		assert_int_equal(
		        strspn(p->policy_name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+=,.@_-"),
		        strlen(p->policy_name));
		assert_non_null(p->policy_grants);
		assert_true(p->policy_grants[strlen(p->policy_grants) - 1] == '.');
		assert_non_null(p->policy_document);
		/* never a partition written in: arn:${partition} */
		assert_null(strstr(p->policy_document, "arn:aws:"));
		for (size_t k = 0; k < sizeof(partitions) / sizeof(partitions[0]); k++) {
			struct presets_vars v = aws_vars;
			struct irsa_error err;
			char *doc, want[32];

			v.partition = partitions[k];
			doc = presets_render(p->policy_document, &v, &err);
			if (doc == NULL)
				fail_msg("%s: %s", p->id, err.message);
			assert_null(strstr(doc, "${"));
			snprintf(want, sizeof(want), "arn:%s:", partitions[k]);
			if (strstr(p->policy_document, "arn:${partition}") != NULL)
				assert_non_null(strstr(doc, want));
			check_document(p->id, doc);
			free(doc);
		}
	}
	/* the templates use what presets_vars offers, where it matters */
	assert_true(presets_uses(presets_find("external-secrets")->policy_document, "account"));
	assert_true(presets_uses(presets_find("external-secrets")->policy_document, "region"));
	assert_true(presets_uses(presets_find("cluster-autoscaler")->policy_document, "cluster"));
	assert_false(presets_uses(presets_find("external-dns")->policy_document, "account"));
}

/* Every preset grants something. */
static void
test_each_grants_something(void **state)
{
	size_t n;
	const struct preset *all = presets_all(&n);

	(void)state;
	for (size_t i = 0; i < n; i++)
		assert_true(all[i].managed[0] != NULL || all[i].policy_document != NULL);
}

static void
test_find_and_match(void **state)
{
	(void)state;
	assert_non_null(presets_find("EBS-CSI"));
	assert_null(presets_find("ebs"));
	assert_null(presets_find(""));
	assert_null(presets_find(NULL));
	assert_string_equal(presets_match("kube-system", "aws-node")->id, "vpc-cni");
	assert_string_equal(presets_match("cert-manager", "cert-manager")->id, "cert-manager");
	assert_null(presets_match("kube-system", "coredns"));
	assert_null(presets_match(NULL, "aws-node"));
}

static void
test_render(void **state)
{
	struct presets_vars partial = {"aws-cn", NULL, NULL, NULL};
	struct irsa_error err;
	char *s;

	(void)state;
	s = presets_render("no placeholders", NULL, &err);
	assert_string_equal(s, "no placeholders");
	free(s);
	s = presets_render("", NULL, &err);
	assert_string_equal(s, "");
	free(s);
	s = presets_render("arn:${partition}:iam::${account}:x/${cluster}@${region}${region}", &aws_vars, &err);
	assert_string_equal(s, "arn:aws:iam::111122223333:x/shop-prod@us-east-1us-east-1");
	free(s);
	s = presets_render("arn:${partition}:route53:::change/*", &partial, &err);
	assert_string_equal(s, "arn:aws-cn:route53:::change/*");
	free(s);

	assert_null(presets_render("x ${account} y", &partial, &err));
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_non_null(strstr(err.message, "${account}"));
	assert_null(presets_render("${acount}", &aws_vars, &err));
	assert_non_null(strstr(err.message, "unknown placeholder ${acount}"));
	assert_non_null(strstr(err.hint, "${partition}"));
	assert_null(presets_render("tail ${partition", &aws_vars, &err));
	assert_non_null(strstr(err.message, "unterminated"));
	assert_false(presets_uses(NULL, "x"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_every_addon),      cmocka_unit_test(test_managed_arns),
	        cmocka_unit_test(test_customer_managed), cmocka_unit_test(test_each_grants_something),
	        cmocka_unit_test(test_find_and_match),   cmocka_unit_test(test_render),
	};

	return cmocka_run_group_tests_name("presets", tests, NULL, NULL);
}
