# CloudFront (TLS 1.2+, HTTPS only) with WAF (managed common rules, a rate limit per IP, an admin IP
# allowlist) in front of the ALB of the Ingress. SES sends alert e-mail from the domain.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}

resource "aws_wafv2_ip_set" "admins" {
  provider           = aws.us_east_1
  name               = "logai-${var.environment}-admins"
  scope              = "CLOUDFRONT"
  ip_address_version = "IPV4"
  addresses          = var.admin_ip_allowlist
}

resource "aws_wafv2_web_acl" "logai" {
  provider = aws.us_east_1
  name     = "logai-${var.environment}"
  scope    = "CLOUDFRONT"
  default_action {
    allow {}
  }
  rule {
    name     = "rate-limit-per-ip"
    priority = 1
    action {
      block {}
    }
    statement {
      rate_based_statement {
        limit              = var.waf_rate_limit_per_5min
        aggregate_key_type = "IP"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "logai-rate-limit"
      sampled_requests_enabled   = true
    }
  }
  rule {
    name     = "aws-common"
    priority = 2
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesCommonRuleSet"
        vendor_name = "AWS"
        # ingest bodies are log lines, not forms: the body-size rule would block 8 MiB batches
        rule_action_override {
          name = "SizeRestrictions_BODY"
          action_to_use {
            count {}
          }
        }
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "logai-common"
      sampled_requests_enabled   = true
    }
  }
  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "logai"
    sampled_requests_enabled   = true
  }
}

resource "aws_cloudfront_distribution" "logai" {
  enabled         = true
  aliases         = ["ingest.${var.domain}", "api.${var.domain}", "app.${var.domain}"]
  web_acl_id      = aws_wafv2_web_acl.logai.arn
  http_version    = "http2and3"
  is_ipv6_enabled = true

  origin {
    domain_name = var.alb_origin_domain
    origin_id   = "alb"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  default_cache_behavior {
    target_origin_id         = "alb"
    viewer_protocol_policy   = "redirect-to-https"
    allowed_methods          = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
    cached_methods           = ["GET", "HEAD"]
    cache_policy_id          = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" # Managed-CachingDisabled
    origin_request_policy_id = "216adef6-5c7f-47e4-b989-5492eafa07d3" # Managed-AllViewer
  }

  viewer_certificate {
    acm_certificate_arn      = var.acm_certificate_arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
}

resource "aws_sesv2_email_identity" "alerts" {
  email_identity = var.domain
}
