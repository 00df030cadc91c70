package org.invokej.core.prompts;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.content.ContentAccess;
import org.invokej.core.store.Transactions;
import org.invokej.core.store.Tx;

import java.util.List;
import java.util.UUID;

/**
 * System prompts with InvokeAI 6.14's rules: a user sees the public prompts and their own, changes only
 * their own; administrators see and change all. New prompts are private in multi-user mode and public
 * in single-user mode. InvokeJ runs no language model, so nothing uses them yet; the UI keeps them.
 */
public final class SystemPromptService {

    /** A change; null fields stay as they are. */
    public record Changes(String name, String content, Boolean isPublic) {
        public Changes {
            if ((name != null && name.isEmpty()) || (content != null && content.isEmpty())) {
                throw DomainException.unprocessable("name and content must not be empty");
            }
        }
    }

    private final Transactions transactions;
    private final SystemPromptRepository prompts;
    private final boolean multiuser;

    public SystemPromptService(Transactions transactions, SystemPromptRepository prompts, boolean multiuser) {
        this.transactions = transactions;
        this.prompts = prompts;
        this.multiuser = multiuser;
    }

    public List<SystemPrompt> list(Actor actor) {
        return transactions.read(tx -> prompts.list(tx, ContentAccess.promptViewer(actor)));
    }

    public SystemPrompt get(Actor actor, String id) {
        SystemPrompt prompt = transactions.read(tx -> find(tx, id));
        ContentAccess.requireRead(actor, prompt);
        return prompt;
    }

    public SystemPrompt create(Actor actor, String name, String content) {
        if (name == null || name.isEmpty() || content == null || content.isEmpty()) {
            throw DomainException.unprocessable("name and content are required and must not be empty");
        }
        String id = UUID.randomUUID().toString();
        return transactions.write(tx -> {
            prompts.insert(tx, id, name, content, actor.userId(), !multiuser);
            return find(tx, id);
        });
    }

    public SystemPrompt update(Actor actor, String id, Changes changes) {
        return transactions.write(tx -> {
            SystemPrompt prompt = find(tx, id);
            ContentAccess.requireWrite(actor, prompt, "update");
            prompts.update(tx, id, changes.name() != null ? changes.name() : prompt.name(),
                    changes.content() != null ? changes.content() : prompt.content(),
                    changes.isPublic() != null ? changes.isPublic() : prompt.isPublic());
            return find(tx, id);
        });
    }

    public void delete(Actor actor, String id) {
        transactions.write(tx -> {
            ContentAccess.requireWrite(actor, find(tx, id), "delete");
            prompts.delete(tx, id);
            return null;
        });
    }

    private SystemPrompt find(Tx tx, String id) {
        return prompts.find(tx, id).orElseThrow(() -> DomainException.notFound("System prompt not found"));
    }
}
