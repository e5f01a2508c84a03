package dev.logai.common.contract.alert;

/**
 * An alert rule that breaks the contract. The message names the field and says what to fix, e.g.
 * {@code 'condition.window' must be whole minutes from 1m to 60m}: the query API shows it to the
 * client as is (400), the pipeline logs it and skips the record.
 */
public class InvalidAlertRuleException extends IllegalArgumentException {
    public InvalidAlertRuleException(String message) {
        super(message);
    }
}
