#!/usr/bin/env python3
"""Generates the header-style fixtures: synthetic lines in the header styles of common systems,
written for LogAi's tests (no third-party log content). Each style is a folder in the Loghub-2k
layout: <Name>/<Name>_2k.log and <Name>/<Name>_2k.log_structured.csv (LineId,Content), so the
same evaluation code reads them. Re-run to regenerate; output is deterministic."""
import csv, os, random

rnd = random.Random(7)
MESSAGES = [
    lambda: f"Connection to {rnd.randint(10,250)}.{rnd.randint(0,255)}.0.{rnd.randint(1,254)}:{rnd.choice([80,443,5432,9092])} established in {rnd.randint(1,900)} ms",
    lambda: f"Processed batch {rnd.randint(1000,99999)} with {rnd.randint(1,500)} records",
    lambda: f"User {rnd.choice(['alice','bob','carol','dave'])} logged in from {rnd.choice(['web','mobile','cli'])}",
    lambda: f"Cache miss for key session:{rnd.randint(1,10**6)}",
    lambda: f"Retrying request to upstream (attempt {rnd.randint(1,5)} of 5)",
    lambda: "Shutting down worker pool",
    lambda: f"Disk usage at {rnd.randint(50,99)}% on /var/lib/data",
    lambda: f"GC pause of {rnd.randint(5,400)}ms, heap {rnd.randint(100,900)}MB",
    lambda: f"Timeout waiting for lock table_{rnd.randint(1,9)} after {rnd.randint(1,30)}s",
    lambda: f"Scheduled job cleanup-{rnd.randint(1,9)} finished: removed {rnd.randint(0,99)} files",
]
LEVELS = ["INFO", "INFO", "INFO", "WARN", "ERROR", "DEBUG"]

def ts(i, fmt):
    s = 3600 * 10 + i * 7
    h, m, sec = s // 3600 % 24, s // 60 % 60, s % 60
    return fmt.format(h=h, m=m, s=sec, ms=rnd.randint(0, 999), us=rnd.randint(0, 999999))

def style_zoo(i, msg):
    lvl = rnd.choice(LEVELS)
    comp = rnd.choice(["QuorumPeer[myid=2]/0:0:0:0:0:0:0:0:2181:Learner@112", "NIOServerCxn.Factory:0.0.0.0/0.0.0.0:2181:NIOServerCnxn@1001", "SendWorker:3:QuorumCnxManager$SendWorker@688"])
    return ts(i, "2021-03-04 {h:02d}:{m:02d}:{s:02d},{ms:03d}") + f" - {lvl:<5} [{comp}] - {msg}"

def style_tbird(i, msg):
    label = rnd.choice(["-"] * 9 + ["KERNEL_PANIC"])
    node = rnd.choice(["cn101", "cn102", "admin7"])
    tag = rnd.choice(["crond[2291]:", "sshd(pam_unix)[77]:", "kernel:", "ntpd[1200]:", "/usr/sbin/gmond[4101]:"])
    return f"{label} {1136073600 + i * 7} 2006.01.01 {node} Jan  1 " + ts(i, "{h:02d}:{m:02d}:{s:02d}") + f" {node}/{node} {tag} {msg}"

def style_proxy(i, msg):
    prog = rnd.choice(["firefox.exe", "slack.exe", "svchost.exe *64", "git-remote-https.exe"])
    return "[11.02 " + ts(i, "{h:02d}:{m:02d}:{s:02d}") + f"] {prog} - {msg}"

def style_pipes(i, msg):
    comp = rnd.choice(["Sync_Manager", "Step_Counter", "Report_Receiver"])
    return ts(i, "20220614-{h}:{m}:{s}:{ms}") + f"|{comp}|{rnd.randint(10**7, 10**8)}|{msg}"

def style_openstackish(i, msg):
    svc = rnd.choice(["api-server.log.1.2022-06-01_10:00:00", "compute.log.2022-06-01_10:00:01"])
    req = rnd.choice(["[req-4f1b2c3d-1111-2222-3333-444455556666 abc def - - -]", "[-]"])
    return f"{svc} 2022-06-01 " + ts(i, "{h:02d}:{m:02d}:{s:02d}.{ms:03d}") + f" {rnd.randint(1000,9999)} {rnd.choice(LEVELS)} svc.module.handler {req} {msg}"

def style_pylog(i, msg):
    return ts(i, "2023-11-05 {h:02d}:{m:02d}:{s:02d},{ms:03d}") + f" - {rnd.choice(['app.db','app.http','worker'])} - {rnd.choice(['INFO','WARNING','ERROR'])} - {msg}"

def style_nginx_error(i, msg):
    return ts(i, "2023/11/05 {h:02d}:{m:02d}:{s:02d}") + f" [{rnd.choice(['error','warn','notice'])}] {rnd.randint(100,999)}#0: {msg}"

def style_klog(i, msg):
    return rnd.choice("IWE") + "1105 " + ts(i, "{h:02d}:{m:02d}:{s:02d}.{us:06d}") + f" {rnd.randint(1,99):>7} {rnd.choice(['controller.go:123]', 'reflector.go:55]', 'leaderelection.go:248]'])} {msg}"

def style_ci(i, msg):
    return ts(i, "2024-02-29T{h:02d}:{m:02d}:{s:02d}.{us:06d}0Z") + f" {msg}"

def style_log4j(i, msg):
    return ts(i, "2024-02-29 {h:02d}:{m:02d}:{s:02d}.{ms:03d}") + f" [{rnd.choice(['main','http-nio-8080-exec-3','pool-1-thread-2'])}] {rnd.choice(LEVELS):<5} {rnd.choice(['com.acme.OrderService','org.hibernate.SQL'])} - {msg}"

STYLES = {"ZooStyle": style_zoo, "TbirdStyle": style_tbird, "ProxyStyle": style_proxy, "PipeStyle": style_pipes,
          "OpenstackStyle": style_openstackish, "PythonLogging": style_pylog, "NginxError": style_nginx_error,
          "Klog": style_klog, "CiRunner": style_ci, "Log4jPattern": style_log4j}

for name, style in STYLES.items():
    os.makedirs(name, exist_ok=True)
    rows = []
    with open(f"{name}/{name}_2k.log", "w") as log:
        for i in range(120):
            msg = rnd.choice(MESSAGES)()
            log.write(style(i, msg) + "\n")
            rows.append((i + 1, msg))
    with open(f"{name}/{name}_2k.log_structured.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["LineId", "Content"])
        w.writerows(rows)
