"""The flows' scripts by journey: what a QA tester would type and tap, step by step.

Each takes the Driver and the demo citizen it plays. Codes come from the demo
backend's simulated authenticator; a code is accepted once, so a step-up
after sign-in waits for the next 30-second code.
"""
